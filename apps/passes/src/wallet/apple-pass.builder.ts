import { AppleWalletIdentity, BarcodeFormat, PassLinkSigner } from '@passway/common';
import { createPrivateKey } from 'node:crypto';
import { PKPass } from 'passkit-generator';
import { signWithOpenSsl } from './native-rsa-signing';
import { solidPng } from './solid-png';
import { isVoided, WalletPassContent } from './wallet-pass-content';

export const PKPASS_MIME_TYPE = 'application/vnd.apple.pkpass';

const APPLE_BARCODE: Record<
  BarcodeFormat,
  'PKBarcodeFormatQR' | 'PKBarcodeFormatPDF417' | 'PKBarcodeFormatAztec' | 'PKBarcodeFormatCode128'
> = {
  qr: 'PKBarcodeFormatQR',
  pdf417: 'PKBarcodeFormatPDF417',
  aztec: 'PKBarcodeFormatAztec',
  code128: 'PKBarcodeFormatCode128',
};

const DEFAULT_BACKGROUND = '#1f2937';
const DEFAULT_FOREGROUND = '#ffffff';
const DEFAULT_ICONS = {
  'icon.png': solidPng(29, DEFAULT_BACKGROUND),
  'icon@2x.png': solidPng(58, DEFAULT_BACKGROUND),
  'icon@3x.png': solidPng(87, DEFAULT_BACKGROUND),
};

/** `rgb(r, g, b)`, the only colour syntax pass.json takes. */
function appleColor(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * Builds the signed .pkpass of one pass with passkit-generator: pass.json, images, manifest and
 * the detached PKCS#7 signature by the pass-type certificate with the WWDR intermediate.
 */
export class ApplePassBuilder {
  private readonly certificates: { wwdr: string; signerCert: string; signerKey: string };

  constructor(
    private readonly identity: AppleWalletIdentity,
    private readonly signer: PassLinkSigner,
    private readonly webServiceUrl: string,
  ) {
    // Decrypted once here: passkit-generator (node-forge) would otherwise redo the key derivation for every pass.
    const signerKey = createPrivateKey({ key: identity.signerKey, passphrase: identity.signerKeyPassphrase ?? '' });
    this.certificates = {
      wwdr: identity.wwdr,
      signerCert: identity.signerCert,
      signerKey: signerKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    };
    signWithOpenSsl(this.certificates.signerKey);
  }

  build(content: WalletPassContent): Buffer {
    const pass = new PKPass(this.images(content), this.certificates, {
      formatVersion: 1,
      passTypeIdentifier: this.identity.passTypeId,
      teamIdentifier: this.identity.teamId,
      serialNumber: content.passId,
      organizationName: content.organizationName,
      description: content.event ? `Ticket: ${content.event.name}` : (content.name ?? 'Pass'),
      logoText: content.organizationName,
      webServiceURL: this.webServiceUrl,
      authenticationToken: this.signer.walletToken(content.passId),
      backgroundColor: appleColor(content.colors.background ?? content.colors.primary ?? DEFAULT_BACKGROUND),
      foregroundColor: appleColor(content.colors.text ?? DEFAULT_FOREGROUND),
      labelColor: appleColor(content.colors.text ?? DEFAULT_FOREGROUND),
      voided: isVoided(content),
    });
    pass.type = content.event ? 'eventTicket' : 'generic';
    const fields = passFields(content);
    pass.primaryFields.push(...fields.primary);
    pass.secondaryFields.push(...fields.secondary);
    pass.auxiliaryFields.push(...fields.auxiliary);
    pass.backFields.push(...fields.back);
    pass.setBarcodes({
      format: APPLE_BARCODE[content.barcodeFormat],
      message: content.code,
      messageEncoding: 'iso-8859-1',
      altText: content.code,
    });
    pass.setExpirationDate(content.validUntil);
    pass.setRelevantDate(content.event?.startsAt ?? content.validFrom);
    return pass.getAsBuffer();
  }

  private images(content: WalletPassContent): Record<string, Buffer> {
    const { icon, logo } = content.images;
    const files: Record<string, Buffer> = icon
      ? { 'icon.png': icon['1x'], 'icon@2x.png': icon['2x'], 'icon@3x.png': icon['3x'] }
      : { ...DEFAULT_ICONS };
    if (logo) Object.assign(files, { 'logo.png': logo['1x'], 'logo@2x.png': logo['2x'], 'logo@3x.png': logo['3x'] });
    return files;
  }
}

interface Field {
  key: string;
  label: string;
  value: string;
  changeMessage?: string;
  dateStyle?: 'PKDateStyleMedium';
  timeStyle?: 'PKDateStyleShort';
  ignoresTimeZone?: boolean;
}

/** The pass's face: what it admits to, whose it is, when, and its public custom fields. */
export function passFields(content: WalletPassContent): { primary: Field[]; secondary: Field[]; auxiliary: Field[]; back: Field[] } {
  const primary: Field[] = [
    { key: 'title', label: content.event ? 'EVENT' : 'PASS', value: content.event?.name ?? content.name ?? 'Pass' },
  ];
  const secondary: Field[] = [];
  const auxiliary: Field[] = [];
  const back: Field[] = [];
  if (content.holderName) secondary.push({ key: 'holder', label: 'HOLDER', value: content.holderName });
  if (content.event) {
    secondary.push({
      key: 'starts',
      label: 'DATE',
      value: content.event.startsAt.toISOString(),
      dateStyle: 'PKDateStyleMedium',
      timeStyle: 'PKDateStyleShort',
      changeMessage: 'The event now starts %@',
    });
    if (content.event.venue)
      auxiliary.push({ key: 'venue', label: 'VENUE', value: content.event.venue, changeMessage: 'The venue is now %@' });
  } else if (content.validUntil) {
    auxiliary.push({
      key: 'validUntil',
      label: 'VALID UNTIL',
      value: content.validUntil.toISOString(),
      dateStyle: 'PKDateStyleMedium',
      timeStyle: 'PKDateStyleShort',
    });
  }
  auxiliary.push({ key: 'status', label: 'STATUS', value: statusLabel(content), changeMessage: 'Your pass is now %@' });
  if (content.type === 'multi') {
    auxiliary.push({
      key: 'uses',
      label: 'USES',
      value: content.maxUsages ? `${content.usagesCount} / ${content.maxUsages}` : String(content.usagesCount),
    });
  }
  content.publicFields.forEach((field, index) => back.push({ key: `field${index}`, label: field.key, value: field.value }));
  back.push({ key: 'code', label: 'CODE', value: content.code });
  return { primary, secondary, auxiliary, back };
}

function statusLabel(content: WalletPassContent): string {
  return { active: 'Active', used: 'Used', expired: 'Expired', revoked: 'Revoked' }[content.status];
}
