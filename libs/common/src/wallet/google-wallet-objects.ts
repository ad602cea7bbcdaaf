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

/** The whole object, as the save link carries it. */
export function googleObject(
  issuerId: string,
  source: GoogleObjectSource,
  look: { barcodeFormat: BarcodeFormat; backgroundColor: string | null; organizationName: string; logoUrl: string | null },
): Record<string, unknown> {
  const ids = googleIds(issuerId, source);
  return {
    id: ids.objectId,
    classId: ids.classId,
    ...googleObjectPatch(source),
    barcode: { type: GOOGLE_BARCODE[look.barcodeFormat], value: source.code, alternateText: source.code },
    ...(look.backgroundColor ? { hexBackgroundColor: look.backgroundColor } : {}),
    ...(source.eventId ? {} : { cardTitle: text(look.organizationName) }),
    ...(look.logoUrl ? { logo: { sourceUri: { uri: look.logoUrl } } } : {}),
  };
}

/** The event's class: what an event change PATCHes. */
export function googleEventClassPatch(event: GoogleClassSource): Record<string, unknown> {
  return {
    eventName: text(event.name),
    dateTime: { start: event.startsAt, ...(event.endsAt ? { end: event.endsAt } : {}) },
    ...(event.venue ? { venue: { name: text(event.venue), address: text(event.venue) } } : {}),
  };
}

export function googleEventClass(
  issuerId: string,
  event: GoogleClassSource,
  issuerName: string,
  logoUrl: string | null,
): Record<string, unknown> {
  return {
    id: googleIds(issuerId, { passId: '', eventId: event.eventId }).classId,
    issuerName,
    reviewStatus: 'UNDER_REVIEW',
    ...googleEventClassPatch(event),
    ...(logoUrl ? { logo: { sourceUri: { uri: logoUrl } } } : {}),
  };
}

export const GOOGLE_WALLET_SCOPE = 'https://www.googleapis.com/auth/wallet_object.issuer';
export const GOOGLE_SAVE_URL = 'https://pay.google.com/gp/v/save/';
