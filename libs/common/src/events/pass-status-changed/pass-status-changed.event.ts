import { PassStatus, PassView } from '../../contracts/passes/pass.view';

export class PassStatusChangedKey {
  passId: string;
}

export type PassStatusChangedValue = PassView & { previousStatus: PassStatus; changedAt: string };
