import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'pw_session';
/** Readable by the console's script, which sends it back in X-CSRF-Token on every write (double submit, bound to the session). */
export const CSRF_COOKIE = 'pw_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export interface CookieSettings {
  secure: boolean;
  maxAgeMs: number;
}

export function setSessionCookies(response: Response, token: string, csrfToken: string, settings: CookieSettings): void {
  const common = { sameSite: 'lax' as const, secure: settings.secure, path: '/', maxAge: settings.maxAgeMs };
  response.cookie(SESSION_COOKIE, token, { ...common, httpOnly: true });
  response.cookie(CSRF_COOKIE, csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(response: Response, secure: boolean): void {
  for (const name of [SESSION_COOKIE, CSRF_COOKIE])
    response.clearCookie(name, { path: '/', sameSite: 'lax', secure, httpOnly: name === SESSION_COOKIE });
}
