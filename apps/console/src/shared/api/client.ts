import { createPasswayClient } from '@passway/sdk';
import type { Middleware } from 'openapi-fetch';
import { toApiError } from './errors';

/** The cookie the gateway sets beside the session cookie; its value goes back in X-CSRF-Token on every write. */
export const CSRF_COOKIE = 'pw_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(name: string): string | undefined {
  const prefix = `${name}=`;
  const found = document.cookie.split('; ').find((part) => part.startsWith(prefix));
  return found ? decodeURIComponent(found.slice(prefix.length)) : undefined;
}

function newRequestId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
}

/** Listeners told when the API answers 401 (the session is gone): the app clears its cache and goes to sign-in. */
const unauthenticatedListeners = new Set<() => void>();
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('X-Request-Id', newRequestId());
    if (WRITES.has(request.method)) {
      const token = readCookie(CSRF_COOKIE);
      if (token) request.headers.set(CSRF_HEADER, token);
    }
    return request;
  },
  async onResponse({ response }) {
    if (response.ok) return response;
    const requestId = response.headers.get('X-Request-Id') ?? undefined;
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    const retryAfter = Number(response.headers.get('Retry-After'));
    const error = toApiError(response.status, body, requestId, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
    if (response.status === 401 && error.code !== 'invalid_credentials') for (const listener of unauthenticatedListeners) listener();
    throw error;
  },
};

/** The console's client of the Passway API: the SDK (generated from the OpenAPI document) with the session cookie. */
export const api = createPasswayClient({ baseUrl: window.location.origin, credentials: 'include' });
api.use(sessionMiddleware);
