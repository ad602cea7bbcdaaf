/** A pass's signed Apple Wallet file, as the passes service answers it. */
export interface ApplePassFile {
  passId: string;
  tenantId: string;
  eventId: string | null;
  /** The .pkpass, base64 (it travels in the JSON result of a gRPC command). */
  pkpass: string;
  lastModified: string;
}

/** Which pass a wallet serial (the pass id) is, and when what it shows last changed. */
export interface WalletPassInfo {
  passId: string;
  tenantId: string;
  eventId: string | null;
  /** The template the pass wears (its changes update the pass too), or null. */
  templateId: string | null;
  lastModified: string;
}

/** A "Save to Google Wallet" link and the object it saves. */
export interface GoogleSaveLinkResult {
  saveUrl: string;
  objectType: GoogleWalletObjectType;
  objectId: string;
  classId: string;
  passId: string;
  tenantId: string;
  eventId: string | null;
  /** The template the pass wears, if any: a change to it PATCHes the object. */
  templateId: string | null;
}

export type GoogleWalletObjectType = 'eventTicketObject' | 'genericObject';

/** How a device-side or holder-side wallet command names its pass: by code behind a signed link, or by serial behind an ApplePass token. */
export type PublicWalletLookup = { code: string } | { serial: string };

export interface RegisterWalletDeviceInput {
  deviceLibraryId: string;
  passTypeId: string;
  passId: string;
  eventId: string | null;
  templateId: string | null;
  pushToken: unknown;
}

export interface UnregisterWalletDeviceInput {
  deviceLibraryId: string;
  passTypeId: string;
  passId: string;
}

export interface ListUpdatedWalletPassesInput {
  deviceLibraryId: string;
  passTypeId: string;
  passesUpdatedSince?: string | null;
}

/** 204 (`null`) when nothing changed since the tag. */
export type UpdatedWalletPasses = { serialNumbers: string[]; lastUpdated: string } | null;

export interface TrackGoogleWalletObjectInput {
  passId: string;
  eventId: string | null;
  /** The template the pass wears (a change to it PATCHes the object), or null. */
  templateId: string | null;
  objectType: GoogleWalletObjectType;
  objectId: string;
  classId: string;
}
