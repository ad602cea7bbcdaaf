import { Logger } from '@nestjs/common';
import { AppleWalletIdentity } from '@passway/common';
import apn from '@parse/node-apn';
import { createHash } from 'node:crypto';

export type PushOutcome =
  | { token: string; kind: 'sent' }
  /** 410 Unregistered, or a token APNs will never accept: the registration goes. */
  | { token: string; kind: 'stale'; reason: string; unregisteredAt: Date | null }
  /** 429, 5xx, timeouts, connection errors. */
  | { token: string; kind: 'retry'; reason: string }
  /** Any other refusal: retrying the same push cannot help. */
  | { token: string; kind: 'rejected'; reason: string };

/** Sends "this pass changed" to devices: APNs over HTTP/2, or the log in development. */
export abstract class ApnsSender {
  abstract readonly mode: 'apns' | 'log';
  /** `changeId` names one change of one pass; each device's push for it carries the same apns-id. */
  abstract send(passTypeId: string, token: string, changeId: string): Promise<PushOutcome>;
  async close(): Promise<void> {}
}

const STALE_REASONS = new Set(['BadDeviceToken', 'DeviceTokenNotForTopic', 'Unregistered']);

/** A UUID derived from the change and the device: a re-sent push is recognisably the same push. */
export function pushId(changeId: string, token: string): string {
  const hex = createHash('sha256').update(`${changeId}:${token}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * APNs through @parse/node-apn: HTTP/2, the Pass Type ID certificate as TLS client certificate
 * (or a .p8 token), topic = the pass type id, payload `{"aps":{}}` (node-apn sends an empty `{}` as
 * no body at all, which APNs refuses).
 */
export class NodeApnSender extends ApnsSender {
  readonly mode = 'apns' as const;
  private readonly provider: apn.Provider;

  constructor(identity: AppleWalletIdentity, origin: string, ca: string | undefined, requestTimeoutMs: number) {
    super();
    const url = new URL(origin);
    const auth = identity.apnsToken
      ? { token: { key: identity.apnsToken.key, keyId: identity.apnsToken.keyId, teamId: identity.teamId } }
      : { cert: identity.signerCert, key: identity.signerKey, passphrase: identity.signerKeyPassphrase };
    this.provider = new apn.Provider({
      ...auth,
      address: url.hostname,
      port: Number(url.port || 443),
      production: url.hostname === 'api.push.apple.com',
      ...(ca ? { ca: [ca] } : {}),
      requestTimeout: requestTimeoutMs,
      // Retries are ours (per device, with backoff, across restarts); node-apn would retry at once.
      connectionRetryLimit: 0,
    });
  }

  async send(passTypeId: string, token: string, changeId: string): Promise<PushOutcome> {
    const note = new apn.Notification();
    note.topic = passTypeId;
    note.rawPayload = { aps: {} };
    note.pushType = 'background';
    note.priority = 5;
    note.id = pushId(changeId, token);
    note.collapseId = changeId.slice(0, 64);
    const result = await this.provider.send(note, token);
    if (result.sent.length > 0) return { token, kind: 'sent' };
    return outcomeOf(token, result.failed[0]);
  }

  override async close(): Promise<void> {
    await this.provider.shutdown();
  }
}

function outcomeOf(token: string, failure: apn.ResponseFailure | undefined): PushOutcome {
  const status = Number(failure?.status);
  const reason =
    failure?.response?.reason ?? (failure?.error ? String(failure.error.message ?? failure.error) : `status ${failure?.status}`);
  if (status === 410 || (status === 400 && STALE_REASONS.has(reason))) {
    const timestamp = Number(failure?.response?.timestamp);
    return { token, kind: 'stale', reason, unregisteredAt: Number.isFinite(timestamp) && timestamp > 0 ? new Date(timestamp) : null };
  }
  if (!Number.isFinite(status) || status === 0 || status === 408 || status === 429 || status >= 500)
    return { token, kind: 'retry', reason };
  if (status === 403 && /ProviderToken/.test(reason)) return { token, kind: 'retry', reason };
  return { token, kind: 'rejected', reason: `${status} ${reason}` };
}

/** Development without APNs: each push is a log line, and counts as sent. */
export class LogApnsSender extends ApnsSender {
  readonly mode = 'log' as const;
  private readonly logger = new Logger('WalletPush');

  send(passTypeId: string, token: string, changeId: string): Promise<PushOutcome> {
    this.logger.log(`push (log mode) topic=${passTypeId} change=${changeId} device=${token.slice(0, 8)}…`);
    return Promise.resolve({ token, kind: 'sent' });
  }
}
