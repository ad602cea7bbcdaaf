import { createPasswayClient, type PasswayClient } from '@passway/sdk';
import { Connectivity, SLOW_REQUEST_MS } from './connectivity';

export const APP_VERSION = '1.0.0';
/**
 * A page of the admissions feed is up to 5,000 passes, over a megabyte: on a phone's network it
 * takes longer than the 2 s a scan may, and a slow page is no sign that scanning should go offline.
 */
export const FEED_PAGE_DEADLINE_MS = 30_000;

/** The device's key was revoked (or is no longer valid): the door must stop and say so. */
export class DeviceRevokedError extends Error {
  constructor(message = 'This device was revoked. Ask for a new pairing link.') {
    super(message);
  }
}

/** No answer within 2 s, or no network: the caller decides offline. */
export class OfflineError extends Error {}

/** A refusal the API answered with (4xx/5xx), with its JSON error. */
export class ApiAnswerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The door's client of the public API: the typed SDK (generated from the OpenAPI document), with
 * the device's key, its app version, a 2 s deadline on every call but the feed's pages (30 s),
 * and the outcomes the door acts on (offline, revoked) turned into errors.
 */
export function createDoorClient(apiKey: string | undefined, connectivity: Connectivity, onRevoked: () => void): PasswayClient {
  const timedFetch = async (input: Request): Promise<Response> => {
    let response: Response;
    try {
      const deadline = new URL(input.url).pathname.endsWith('/admissions') ? FEED_PAGE_DEADLINE_MS : SLOW_REQUEST_MS;
      response = await fetch(new Request(input, { signal: AbortSignal.timeout(deadline) }));
    } catch {
      connectivity.wentOffline();
      throw new OfflineError('no answer in time');
    }
    if (response.status === 502 || response.status === 503 || response.status === 504) {
      connectivity.wentOffline();
      throw new OfflineError(`the server answered ${response.status}`);
    }
    if (!response.ok) {
      const body = (await response
        .clone()
        .json()
        .catch(() => ({}))) as { error?: string; code?: string };
      if (response.status === 401 && apiKey) {
        onRevoked();
        throw new DeviceRevokedError(body.error);
      }
      throw new ApiAnswerError(response.status, body.code, body.error ?? `HTTP ${response.status}`);
    }
    return response;
  };
  return createPasswayClient({
    baseUrl: window.location.origin,
    apiKey,
    headers: { 'X-Passway-App-Version': APP_VERSION },
    fetch: timedFetch,
  });
}
