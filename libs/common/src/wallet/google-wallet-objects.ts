import type { BarcodeFormat } from '../contracts/templates/template.dto';
import type { PassStatus } from '../contracts/passes/pass.view';

/** What a Google Wallet object shows of a pass (built from the passes tables, or from a pass event). */
export interface GoogleObjectSource {
  passId: string;
  code: string;
  name: string | null;
  status: PassStatus;
  validFrom: string | null;
  validUntil: string | null;
  holderName: string | null;
  publicFields: { key: string; value: string }[];
  eventId: string | null;
}

export interface GoogleClassSource {
  eventId: string;
  name: string;
  startsAt: string;
  endsAt: string | null;
  venue: string | null;
  /** The event's own branding: one class per event, so never a template's. */
  backgroundColor: string | null;
  logoUrl: string | null;
}

/** A template's look as Google Wallet shows it on an object (an event ticket's object has no logo of its own). */
export interface GoogleLookSource {
  backgroundColor: string | null;
  logoUrl: string | null;
}

export type GoogleObjectType = 'eventTicketObject' | 'genericObject';
export type GoogleClassType = 'eventTicketClass' | 'genericClass';

const GOOGLE_BARCODE: Record<BarcodeFormat, string> = { qr: 'QR_CODE', pdf417: 'PDF_417', aztec: 'AZTEC', code128: 'CODE_128' };

/** Revoked or used up: INACTIVE; past its validity: EXPIRED; otherwise ACTIVE. */
export function googleState(status: PassStatus): 'ACTIVE' | 'INACTIVE' | 'EXPIRED' {
  if (status === 'revoked' || status === 'used') return 'INACTIVE';
  return status === 'expired' ? 'EXPIRED' : 'ACTIVE';
}

/** Object and class ids: `<issuerId>.<suffix>`, the suffix limited to letters, digits, `.`, `_` and `-`. */
export function googleIds(
  issuerId: string,
  source: { passId: string; eventId: string | null },
): { objectType: GoogleObjectType; objectId: string; classType: GoogleClassType; classId: string } {
  const event = source.eventId !== null;
  return {
    objectType: event ? 'eventTicketObject' : 'genericObject',
    objectId: `${issuerId}.pass-${source.passId}`,
    classType: event ? 'eventTicketClass' : 'genericClass',
    classId: event ? `${issuerId}.event-${source.eventId}` : `${issuerId}.passway-generic`,
  };
}

const text = (value: string) => ({ defaultValue: { language: 'en', value } });

/** The part of an object that follows the pass: what a change PATCHes. */
export function googleObjectPatch(source: GoogleObjectSource): Record<string, unknown> {
  const patch: Record<string, unknown> = {
    state: googleState(source.status),
    textModulesData: source.publicFields.map((field, index) => ({ id: `field${index}`, header: field.key, body: field.value })),
  };
  const interval: Record<string, unknown> = {};
  if (source.validFrom) interval.start = { date: source.validFrom };
  if (source.validUntil) interval.end = { date: source.validUntil };
  if (Object.keys(interval).length > 0) patch.validTimeInterval = interval;
  if (source.eventId) {
    if (source.holderName) patch.ticketHolderName = source.holderName;
  } else {
    patch.header = text(source.name ?? 'Pass');
    if (source.holderName) patch.subheader = text(source.holderName);
  }
  return patch;
}

const image = (uri: string) => ({ sourceUri: { uri } });

/**
 * The part of an object that a template's look sets: its background colour, and for a generic
 * object its logo (an `eventTicketObject` has no `logo`: an event ticket's logo is its class's).
 * A colour or logo that is not set is left out, so a PATCH never clears one. Null when there is
 * nothing to set.
 */
export function googleObjectLookPatch(objectType: GoogleObjectType, look: GoogleLookSource): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  if (look.backgroundColor) patch.hexBackgroundColor = look.backgroundColor;
  if (objectType === 'genericObject' && look.logoUrl) patch.logo = image(look.logoUrl);
  return Object.keys(patch).length > 0 ? patch : null;
}

/**
 * The whole object, as the save link carries it. `look` is the pass's template's (null without a
 * template): on an event ticket it overrides the colour of the event's class; without a template
 * the class's own branding shows, so a change of the event's branding reaches the pass by one
 * PATCH of the class.
 */
export function googleObject(
  issuerId: string,
  source: GoogleObjectSource,
  options: { barcodeFormat: BarcodeFormat; organizationName: string; look: GoogleLookSource | null },
): Record<string, unknown> {
  const ids = googleIds(issuerId, source);
  return {
    id: ids.objectId,
    classId: ids.classId,
    ...googleObjectPatch(source),
    barcode: { type: GOOGLE_BARCODE[options.barcodeFormat], value: source.code, alternateText: source.code },
    ...(source.eventId ? {} : { cardTitle: text(options.organizationName) }),
    ...(options.look ? googleObjectLookPatch(ids.objectType, options.look) : {}),
  };
}

/** The event's class: what an event change PATCHes (name, date and time, venue, and the event's colour and logo). */
export function googleEventClassPatch(event: GoogleClassSource): Record<string, unknown> {
  return {
    eventName: text(event.name),
    dateTime: { start: event.startsAt, ...(event.endsAt ? { end: event.endsAt } : {}) },
    ...(event.venue ? { venue: { name: text(event.venue), address: text(event.venue) } } : {}),
    ...(event.backgroundColor ? { hexBackgroundColor: event.backgroundColor } : {}),
    ...(event.logoUrl ? { logo: image(event.logoUrl) } : {}),
  };
}

export function googleEventClass(issuerId: string, event: GoogleClassSource, issuerName: string): Record<string, unknown> {
  return {
    id: googleIds(issuerId, { passId: '', eventId: event.eventId }).classId,
    issuerName,
    reviewStatus: 'UNDER_REVIEW',
    ...googleEventClassPatch(event),
  };
}

export const GOOGLE_WALLET_SCOPE = 'https://www.googleapis.com/auth/wallet_object.issuer';
export const GOOGLE_SAVE_URL = 'https://pay.google.com/gp/v/save/';
