import { createHash, randomBytes } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { EventView, invalidArgument, isUuid, notFound, passQrSvg, UpstreamError } from '@passway/common';
import { ApiKeysService } from '../api-keys/api-keys.service';
import type { Principal } from '../auth/principal';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { PassesClient } from '../rpc/service-clients.module';
import { TenantsRepository } from '../tenants/tenants.repository';
import {
  CreateDeviceDto,
  CreatedDeviceDto,
  DeviceDto,
  DeviceProfileDto,
  DeviceState,
  PairDeviceDto,
  PairedDeviceDto,
} from './dto/device.dto';
import { DevicesRepository } from './devices.repository';
import { DeviceEntity } from './entities/device.entity';
import { gone } from '../http/gone';

export const PAIRING_TTL_MS = 10 * 60_000;
/** Where the door app lives (apps/console, served by the gateway under /app). */
export const DOOR_APP_PATH = '/app/door/';
const PAIRING_TOKEN_PREFIX = 'pwp_';

/**
 * Door devices (docs/door.md). A device is a pairing link until a phone redeems it; redeeming
 * issues an ordinary scanner key scoped to the device's events, so authentication, scope and
 * immediate revocation are the API keys' own.
 */
@Injectable()
export class DevicesService {
  constructor(
    private readonly repository: DevicesRepository,
    private readonly tenants: TenantsRepository,
    private readonly keys: ApiKeysService,
    private readonly passes: PassesClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async create(principal: Principal, input: CreateDeviceDto, requestId?: string): Promise<CreatedDeviceDto> {
    const eventIds = [...new Set(input.events)];
    // Each event must be the tenant's and inside the caller's own scope (the passes service answers 404 otherwise).
    await this.events(principal.tenant.id, eventIds, requestId, 'invalid');
    const token = PAIRING_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const device = await this.repository.insert({
      tenantId: principal.tenant.id,
      name: input.name,
      eventIds,
      pairingTokenHash: hashToken(token),
      pairingExpiresAt: new Date(Date.now() + PAIRING_TTL_MS),
      createdByKeyId: principal.keyId,
    });
    const url = `${this.config.PUBLIC_BASE_URL}${DOOR_APP_PATH}#pair=${token}`;
    return { device: toDevice(device), pairing: { url, qrSvg: await passQrSvg(url), expiresAt: device.pairingExpiresAt.toISOString() } };
  }

  /** Redeems a pairing link: once, within its 10 minutes, for a scanner key scoped to the device's events. */
  async pair(input: PairDeviceDto): Promise<PairedDeviceDto> {
    const tokenHash = hashToken(input.token);
    const found = await this.repository.findByPairingToken(tokenHash);
    if (!found)
      throw new HttpException(
        { error: 'This pairing link is not valid. Ask for a new one.', code: 'pairing_not_found' },
        HttpStatus.NOT_FOUND,
      );
    const refusal = pairingRefusal(found);
    if (refusal) throw refusal;
    const events = await this.events(found.tenantId, found.eventIds);
    const tenant = await this.tenants.get(found.tenantId);
    // One conditional UPDATE claims the link: of two phones racing for it, one gets a key.
    const claimed = await this.repository.claimPairing(found.id, input.appVersion ?? null);
    if (!claimed) {
      const now = await this.repository.get(found.id);
      throw pairingRefusal(now) ?? gone('This pairing link was already used. Ask for a new one.', 'pairing_used');
    }
    let key;
    try {
      key = await this.keys.issue(found.tenantId, 'scanner', `device: ${found.name}`, found.eventIds);
    } catch (error) {
      // No key, no pairing: the link works again (within its 10 minutes).
      await this.repository.releasePairing(found.id);
      throw error;
    }
    await this.repository.setApiKey(found.id, key.id);
    const paired = { key, device: await this.repository.get(found.id) };
    return { apiKey: paired.key.apiKey, device: toDevice(paired.device), tenantName: tenant.name, events: events.map(toDeviceEvent) };
  }

  /** The calling device itself: the door app asks at start and after every sync, so a revocation shows up at once. */
  async profile(principal: Principal, requestId?: string): Promise<DeviceProfileDto> {
    const device = principal.keyId ? await this.repository.findByApiKey(principal.keyId) : null;
    if (!device) throw notFound('Device (this key is not a paired device)');
    const events = await this.events(device.tenantId, device.eventIds, requestId);
    return { device: toDevice(device), tenantName: principal.tenant.name, events: events.map(toDeviceEvent) };
  }

  /** The tenant's devices, newest first; a key scoped to events sees the devices inside its scope. */
  async list(principal: Principal): Promise<DeviceDto[]> {
    const devices = await this.repository.listByTenant(principal.tenant.id);
    const scope = principal.eventIds;
    return devices.filter((device) => !scope || device.eventIds.every((id) => scope.includes(id))).map(toDevice);
  }

  /** Revokes a device: its pairing link stops working and its key is dropped by every gateway at once. */
  async revoke(principal: Principal, id: string): Promise<{ device: DeviceDto; keyHash: Buffer | null }> {
    const device = isUuid(id) ? await this.repository.findInTenant(id, principal.tenant.id) : null;
    const scope = principal.eventIds;
    if (!device || (scope && !device.eventIds.every((eventId) => scope.includes(eventId)))) throw notFound('Device');
    if (!device.revokedAt) {
      device.revokedAt = new Date();
      await this.repository.setRevoked(device.id, device.revokedAt);
    }
    const keyHash = device.apiKeyId ? (await this.keys.revoke(device.apiKeyId, principal.tenant.id)).keyHash : null;
    return { device: toDevice(device), keyHash };
  }

  /** Whether a refused key belongs to a revoked device, so the door app can say so instead of "invalid key". */
  isRevokedDeviceKey(keyHash: Buffer): Promise<boolean> {
    return this.repository.isRevokedDeviceKey(keyHash);
  }

  private async events(
    tenantId: string,
    eventIds: string[],
    requestId?: string,
    onMissing: 'invalid' | 'skip' = 'skip',
  ): Promise<EventView[]> {
    const found: EventView[] = [];
    for (const id of eventIds) {
      try {
        found.push(await this.passes.call('GetEvent', { tenantId, id }, requestId));
      } catch (error) {
        if (!(error instanceof UpstreamError && error.status === 404)) throw error;
        if (onMissing === 'invalid') throw invalidArgument(`events: ${id} is not one of your events`, 'unknown_event');
      }
    }
    return found;
  }
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function pairingRefusal(device: DeviceEntity): HttpException | null {
  if (device.revokedAt) return gone('This device was revoked. Ask for a new pairing link.', 'device_revoked');
  if (device.pairedAt) return gone('This pairing link was already used. Ask for a new one.', 'pairing_used');
  if (device.pairingExpiresAt.getTime() <= Date.now())
    return gone('This pairing link expired (links last 10 minutes). Ask for a new one.', 'pairing_expired');
  return null;
}

export function deviceState(device: DeviceEntity, now = Date.now()): DeviceState {
  if (device.revokedAt) return 'revoked';
  if (device.pairedAt) return 'paired';
  return device.pairingExpiresAt.getTime() <= now ? 'expired' : 'pending';
}

function toDevice(device: DeviceEntity): DeviceDto {
  return {
    id: device.id,
    name: device.name,
    eventIds: device.eventIds,
    state: deviceState(device),
    pairingExpiresAt: device.pairingExpiresAt.toISOString(),
    pairedAt: device.pairedAt ? new Date(device.pairedAt).toISOString() : null,
    lastSeenAt: device.lastSeenAt ? new Date(device.lastSeenAt).toISOString() : null,
    appVersion: device.appVersion,
    createdAt: device.createdAt.toISOString(),
    revokedAt: device.revokedAt ? device.revokedAt.toISOString() : null,
  };
}

function toDeviceEvent(event: EventView) {
  return { id: event.id, name: event.name, startsAt: event.startsAt, status: event.status };
}
