import { PassView } from '../../contracts/passes/pass.view';

export class PassUpdatedKey {
  passId: string;
}

export type PassUpdatedValue = PassView;
