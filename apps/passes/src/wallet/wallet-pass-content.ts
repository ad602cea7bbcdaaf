import { BarcodeFormat, PassStatus, PassType } from '@passway/common';

/** Everything a wallet pass shows, gathered from the pass, its event and its template. */
export interface WalletPassContent {
  passId: string;
  tenantId: string;
  code: string;
  name: string | null;
  type: PassType;
  status: PassStatus;
  usagesCount: number;
  maxUsages: number | null;
  validFrom: Date | null;
  validUntil: Date | null;
  holderName: string | null;
  publicFields: { key: string; value: string }[];
  organizationName: string;
  event: { id: string; name: string; startsAt: Date; endsAt: Date | null; venue: string | null; timezone: string | null } | null;
  colors: { primary: string | null; background: string | null; text: string | null };
  barcodeFormat: BarcodeFormat;
  images: { icon: Buffer | null; logo: Buffer | null };
  /** An https logo the holder's page and Google Wallet can fetch, if any. */
  logoUrl: string | null;
  /** The latest change to anything above (pass, event, template, images), for Last-Modified. */
  lastModified: Date;
}

/** Revoked or used up: neither wallet should present it as valid any more. */
export function isVoided(content: Pick<WalletPassContent, 'status'>): boolean {
  return content.status === 'revoked' || content.status === 'used';
}
