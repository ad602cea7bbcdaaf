import { PassField, PassStatus, PassType } from './pass.view';

/** What a pass's template contributes to what the holder sees (email, public page). */
export interface PassBranding {
  name: string;
  primaryColor: string | null;
  backgroundColor: string | null;
  textColor: string | null;
  logoUrl: string | null;
}

/**
 * What the public pass page may show to whoever holds the signed link: no ids, no note, no
 * client, no private custom fields (the passes service filters them; they never reach the gateway).
 */
export interface PublicPassView {
  code: string;
  name: string | null;
  type: PassType;
  status: PassStatus;
  usagesCount: number;
  maxUsages: number | null;
  validFrom: string | null;
  validUntil: string | null;
  fields: Pick<PassField, 'key' | 'value'>[];
  branding: PassBranding | null;
  /** The holder's name (the pass's client), shown on the ticket. */
  holderName: string | null;
  /** The event the pass admits to, if any: shown on the ticket, in its own time zone. */
  event: { name: string; startsAt: string; endsAt: string | null; venue: string | null; timezone: string | null } | null;
}
