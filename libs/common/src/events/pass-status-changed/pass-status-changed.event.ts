import { PassBranding } from '../../contracts/passes/public-pass.view';
import { PassStatus, PassView } from '../../contracts/passes/pass.view';

/** The pass after the change, plus its template's branding (see PassCreatedValue). */
export type PassStatusChangedValue = PassView & { previousStatus: PassStatus; changedAt: string; branding: PassBranding | null };
