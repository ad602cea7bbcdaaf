import { Injectable } from '@nestjs/common';
import { invalidArgument, isUuid } from '@passway/common';
import { GoogleSyncsRepository } from './google-sync/google-syncs.repository';
import { WalletRegistrationsRepository } from './wallet-registrations.repository';

export interface RegisterDeviceInput {
  deviceLibraryId: string;
  passTypeId: string;
  passId: string;
  eventId: string | null;
  pushToken: string;
}

export interface GoogleObjectInput {
  passId: string;
  eventId: string | null;
  objectType: string;
  objectId: string;
  classId: string;
}

export interface DeviceRegistrationsInput {
  deviceLibraryId: string;
  passTypeId: string;
  passesUpdatedSince?: string | null;
}

/** Apple's web-service identifiers: opaque, but short and printable. */
const IDENTIFIER = /^[A-Za-z0-9._-]{1,128}$/;
const PUSH_TOKEN = /^[A-Fa-f0-9]{16,200}$/;

/** The PassKit web service's device side. The gateway has checked the pass's ApplePass token before any of these. */
@Injectable()
export class WalletRegistrationsService {
  constructor(
    private readonly registrations: WalletRegistrationsRepository,
    private readonly googleSyncs: GoogleSyncsRepository,
  ) {}

  /** A save link was issued: the object may now exist at Google, and its later changes are PATCHed. */
  async trackGoogleObject(tenantId: string, input: GoogleObjectInput): Promise<{ tracked: true }> {
    if (!isUuid(input.passId) || (input.eventId !== null && !isUuid(input.eventId))) throw invalidArgument('passId and eventId must be ids');
    if (!['eventTicketObject', 'genericObject'].includes(input.objectType)) throw invalidArgument('unknown Google object type');
    if (!IDENTIFIER.test(input.objectId.replace(/^\d+\./, '')) || !IDENTIFIER.test(input.classId.replace(/^\d+\./, ''))) throw invalidArgument('bad Google ids');
    await this.googleSyncs.track({ ...input, tenantId });
    return { tracked: true };
  }

  async register(tenantId: string, input: RegisterDeviceInput): Promise<{ created: boolean }> {
    this.checkIdentifiers(input.deviceLibraryId, input.passTypeId);
    if (!isUuid(input.passId)) throw invalidArgument('serialNumber is not a pass id');
    if (typeof input.pushToken !== 'string' || !PUSH_TOKEN.test(input.pushToken)) throw invalidArgument('pushToken must be the hex token the device sent');
    const created = await this.registrations.register({ ...input, tenantId });
    return { created };
  }

  async unregister(input: { deviceLibraryId: string; passTypeId: string; passId: string }): Promise<{ removed: boolean }> {
    this.checkIdentifiers(input.deviceLibraryId, input.passTypeId);
    if (!isUuid(input.passId)) return { removed: false };
    return { removed: await this.registrations.unregister(input.deviceLibraryId, input.passTypeId, input.passId) };
  }

  /** `passesUpdatedSince` is the tag this service handed out; anything else counts as "no tag" (every serial). */
  async updatedSince(input: DeviceRegistrationsInput): Promise<{ serialNumbers: string[]; lastUpdated: string } | null> {
    this.checkIdentifiers(input.deviceLibraryId, input.passTypeId);
    const since = typeof input.passesUpdatedSince === 'string' && /^\d{1,18}$/.test(input.passesUpdatedSince) ? BigInt(input.passesUpdatedSince) : null;
    const { serials, lastUpdated } = await this.registrations.updatedSince(input.deviceLibraryId, input.passTypeId, since);
    return serials.length > 0 && lastUpdated ? { serialNumbers: serials, lastUpdated } : null;
  }

  private checkIdentifiers(deviceLibraryId: unknown, passTypeId: unknown): void {
    if (typeof deviceLibraryId !== 'string' || !IDENTIFIER.test(deviceLibraryId)) throw invalidArgument('deviceLibraryIdentifier is not valid');
    if (typeof passTypeId !== 'string' || !IDENTIFIER.test(passTypeId)) throw invalidArgument('passTypeIdentifier is not valid');
  }
}
