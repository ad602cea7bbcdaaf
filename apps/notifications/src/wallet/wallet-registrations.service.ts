import { Injectable } from '@nestjs/common';
import {
  invalidArgument,
  isUuid,
  ListUpdatedWalletPassesInput,
  RegisterWalletDeviceInput,
  TrackGoogleWalletObjectInput,
  UnregisterWalletDeviceInput,
  UpdatedWalletPasses,
} from '@passway/common';
import { GoogleSyncsRepository } from './google-sync/google-syncs.repository';
import { WalletRegistrationsRepository } from './wallet-registrations.repository';

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
  async trackGoogleObject(tenantId: string, raw: unknown): Promise<{ tracked: true }> {
    const input = objectOf<TrackGoogleWalletObjectInput>(raw);
    if (!isUuid(input.passId) || (input.eventId !== null && !isUuid(input.eventId)))
      throw invalidArgument('passId and eventId must be ids');
    // A gateway older than the template column sends none: the pass then wears none as far as Google's sync knows.
    const templateId = input.templateId ?? null;
    if (templateId !== null && !isUuid(templateId)) throw invalidArgument('templateId must be an id or null');
    if (!['eventTicketObject', 'genericObject'].includes(input.objectType)) throw invalidArgument('unknown Google object type');
    if (
      typeof input.objectId !== 'string' ||
      typeof input.classId !== 'string' ||
      !IDENTIFIER.test(input.objectId.replace(/^\d+\./, '')) ||
      !IDENTIFIER.test(input.classId.replace(/^\d+\./, ''))
    )
      throw invalidArgument('bad Google ids');
    const { passId, eventId, objectType, objectId, classId } = input;
    await this.googleSyncs.track({ tenantId, passId, eventId, templateId, objectType, objectId, classId });
    return { tracked: true };
  }

  async register(tenantId: string, raw: unknown): Promise<{ created: boolean }> {
    const input = objectOf<RegisterWalletDeviceInput>(raw);
    this.checkIdentifiers(input.deviceLibraryId, input.passTypeId);
    if (!isUuid(input.passId) || (input.eventId !== null && !isUuid(input.eventId))) throw invalidArgument('serialNumber is not a pass id');
    if (input.templateId !== null && !isUuid(input.templateId)) throw invalidArgument('templateId must be an id or null');
    if (typeof input.pushToken !== 'string' || !PUSH_TOKEN.test(input.pushToken))
      throw invalidArgument('pushToken must be the hex token the device sent');
    const { deviceLibraryId, passTypeId, passId, eventId, templateId, pushToken } = input;
    const created = await this.registrations.register({ tenantId, deviceLibraryId, passTypeId, passId, eventId, templateId, pushToken });
    return { created };
  }

  async unregister(raw: unknown): Promise<{ removed: boolean }> {
    const input = objectOf<UnregisterWalletDeviceInput>(raw);
    this.checkIdentifiers(input.deviceLibraryId, input.passTypeId);
    if (!isUuid(input.passId)) return { removed: false };
    return { removed: await this.registrations.unregister(input.deviceLibraryId, input.passTypeId, input.passId) };
  }

  /** `passesUpdatedSince` is the tag this service handed out; anything else counts as "no tag" (every serial). */
  async updatedSince(raw: unknown): Promise<UpdatedWalletPasses> {
    const input = objectOf<ListUpdatedWalletPassesInput>(raw);
    this.checkIdentifiers(input.deviceLibraryId, input.passTypeId);
    const since =
      typeof input.passesUpdatedSince === 'string' && /^\d{1,18}$/.test(input.passesUpdatedSince) ? BigInt(input.passesUpdatedSince) : null;
    const { serials, lastUpdated } = await this.registrations.updatedSince(input.deviceLibraryId, input.passTypeId, since);
    return serials.length > 0 && lastUpdated ? { serialNumbers: serials, lastUpdated } : null;
  }

  private checkIdentifiers(deviceLibraryId: unknown, passTypeId: unknown): void {
    if (typeof deviceLibraryId !== 'string' || !IDENTIFIER.test(deviceLibraryId))
      throw invalidArgument('deviceLibraryIdentifier is not valid');
    if (typeof passTypeId !== 'string' || !IDENTIFIER.test(passTypeId)) throw invalidArgument('passTypeIdentifier is not valid');
  }
}

/** A command's input is unchecked JSON: an object whose fields each method checks. */
function objectOf<T>(raw: unknown): Partial<Record<keyof T, unknown>> & T {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidArgument('input must be an object');
  return raw as Partial<Record<keyof T, unknown>> & T;
}
