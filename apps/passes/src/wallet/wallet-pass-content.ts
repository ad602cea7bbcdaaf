import { BarcodeFormat, PassStatus, PassType } from '@passway/common';
import type { BrandingImageSet } from '../branding-images/branding-images.service';

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
  event: {
    id: string;
    name: string;
    startsAt: Date;
    endsAt: Date | null;
    venue: string | null;
    timezone: string | null;
    /** The event's own branding (Google Wallet's class of the event wears it, whatever template a pass wears). */
    branding: { backgroundColor: string | null; logoUrl: string | null };
  } | null;
  /** The template it wears, if any (its colours, barcode and images win over the event's). */
  templateId: string | null;
  colors: { primary: string | null; background: string | null; text: string | null };
  barcodeFormat: BarcodeFormat;
  /** Uploaded images at Apple's 1x, 2x and 3x sizes (the template's, else the event's). */
  images: BrandingImageSet;
  /** An https logo the holder's page and Google Wallet can fetch, if any. */
  logoUrl: string | null;
  /** The latest change to anything above (pass, event, template, images), for Last-Modified. */
  lastModified: Date;
}

/** Revoked or used up: neither wallet should present it as valid any more. */
export function isVoided(content: Pick<WalletPassContent, 'status'>): boolean {
  return content.status === 'revoked' || content.status === 'used';
}
