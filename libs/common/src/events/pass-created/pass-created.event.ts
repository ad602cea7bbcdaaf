import { PassBranding } from '../../contracts/passes/public-pass.view';
import { PassView } from '../../contracts/passes/pass.view';

/**
 * The pass as `GET /passes/:id` returns it, plus its template's branding as it was when the
 * event happened (the holder's email is rendered from the event alone).
 */
export type PassCreatedValue = PassView & { branding: PassBranding | null };
