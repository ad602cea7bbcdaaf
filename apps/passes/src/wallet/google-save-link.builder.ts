import {
  GOOGLE_SAVE_URL,
  GoogleWalletObjectType,
  googleEventClass,
  googleIds,
  googleObject,
  GoogleObjectSource,
  GoogleWalletIdentity,
} from '@passway/common';
import jwt from 'jsonwebtoken';
import { WalletPassContent } from './wallet-pass-content';

export interface GoogleSaveLink {
  saveUrl: string;
  objectType: GoogleWalletObjectType;
  objectId: string;
  classId: string;
}

/**
 * "Save to Google Wallet": a JWT signed RS256 with the service account's key, carrying the whole
 * object (and the event's class), so nothing has to exist at Google before the holder saves it.
 */
export class GoogleSaveLinkBuilder {
  constructor(
    private readonly identity: GoogleWalletIdentity,
    private readonly origin: string,
  ) {}

  build(content: WalletPassContent): GoogleSaveLink {
    const source = googleSource(content);
    const ids = googleIds(this.identity.issuerId, source);
    const object = googleObject(this.identity.issuerId, source, {
      barcodeFormat: content.barcodeFormat,
      organizationName: content.organizationName,
      // The template's look on the object; without one, an event ticket wears its class's (the event's) branding.
      look: content.templateId ? { backgroundColor: content.colors.background ?? content.colors.primary, logoUrl: content.logoUrl } : null,
    });
    const payload = content.event
      ? {
          eventTicketClasses: [
            googleEventClass(
              this.identity.issuerId,
              {
                eventId: content.event.id,
                name: content.event.name,
                startsAt: content.event.startsAt.toISOString(),
                endsAt: content.event.endsAt?.toISOString() ?? null,
                venue: content.event.venue,
                backgroundColor: content.event.branding.backgroundColor,
                logoUrl: content.event.branding.logoUrl,
              },
              content.organizationName,
            ),
          ],
          eventTicketObjects: [object],
        }
      : { genericClasses: [{ id: ids.classId }], genericObjects: [object] };
    const token = jwt.sign(
      { iss: this.identity.clientEmail, aud: 'google', typ: 'savetowallet', origins: [this.origin], payload },
      this.identity.privateKey,
      {
        algorithm: 'RS256',
      },
    );
    return { saveUrl: `${GOOGLE_SAVE_URL}${token}`, objectType: ids.objectType, objectId: ids.objectId, classId: ids.classId };
  }
}

export function googleSource(content: WalletPassContent): GoogleObjectSource {
  return {
    passId: content.passId,
    code: content.code,
    name: content.name,
    status: content.status,
    validFrom: content.validFrom?.toISOString() ?? null,
    validUntil: content.validUntil?.toISOString() ?? null,
    holderName: content.holderName,
    publicFields: content.publicFields,
    eventId: content.event?.id ?? null,
  };
}
