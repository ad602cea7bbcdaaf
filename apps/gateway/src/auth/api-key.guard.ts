import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { APP_VERSION_HEADER, DeviceActivity } from '../devices/device-activity';
import { DevicesService } from '../devices/devices.service';
import { hashApiKey, looksLikeApiKey } from '../api-keys/api-key-secret';
import { perMinuteLimit, RatePolicy, RateStanding, writeRateLimitHeaders } from '../rate-limit/rate-limit-policy';
import { RateLimiterService } from '../rate-limit/rate-limiter.service';
import { decideAccess } from './access-policy';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { CSRF_HEADER, readCookie, SESSION_COOKIE } from '../accounts/session-cookies';
import { sameSecret } from '../accounts/one-time-token';
import { AuthenticatedRequest, IS_PUBLIC, OPERATOR_ROUTE, Principal, SESSION_ROUTE } from './principal';
import { SessionAuthenticator, sessionPrincipal } from './session-authenticator';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
import { ROUTE_ACCESS, RouteAccess } from './route-access';

/**
 * Everything the gateway checks before a command: in this order,
 * 1. the client IP's failed-authentication budget (a brute-force guard: 429 before any key is looked at);
 * 2. the API key, or else the session cookie (401, counted against that budget; a cookie-authenticated
 *    write must carry the session's CSRF token, else 403);
 * 3. the key's rate limit for the route's group (429; headers on every authenticated response);
 * 4. the tenant's plan and the key's role against the route's @Access metadata (403 with the reason).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly authFailures: RatePolicy;

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly sessions: SessionAuthenticator,
    private readonly rateLimits: RateLimiterService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly devices: DevicesService,
    private readonly deviceActivity: DeviceActivity,
  ) {
    this.authFailures = { name: 'auth-failures', limit: config.AUTH_FAILURES_PER_IP_PER_MINUTE, windowSeconds: 60 };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const ip = request.ip ?? request.socket.remoteAddress ?? 'unknown';

    const header = request.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    // The hot path (a door scanning with a key this gateway knows): the failed-authentication
    // budget is checked in the same Redis round trip that charges the key's rate limit, below.
    // Any other request checks that budget first, before a key or cookie is looked at.
    const known = bearer ? this.authenticator.cachedPrincipal(bearer[1]) : undefined;
    if (!known) {
      const failures = await this.rateLimits.peek(this.authFailures, ip);
      if (failures && !failures.allowed) throw this.authRateLimited(response, failures);
    }

    const sessionRoute = this.reflector.getAllAndOverride<boolean>(SESSION_ROUTE, targets) === true;
    const operatorRoute = this.reflector.getAllAndOverride<boolean>(OPERATOR_ROUTE, targets) === true;
    const sessionToken = header === undefined ? readCookie(request, SESSION_COOKIE) : undefined;
    let principal: Principal | null;
    if (sessionToken !== undefined) {
      const lookup = await this.sessions.lookup(sessionToken);
      if (lookup.status !== 'valid') {
        const standing = await this.rateLimits.consume(this.authFailures, ip);
        if (standing) writeRateLimitHeaders(response, standing);
        if (lookup.status === 'expired')
          throw new UnauthorizedException({ error: 'Your session has expired; sign in again', code: 'session_expired' });
        throw new UnauthorizedException({ error: 'Not signed in', code: 'invalid_session' });
      }
      const { session } = lookup;
      if (!SAFE_METHODS.has(request.method)) {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
          throw new ForbiddenException({
            error: 'Missing or wrong CSRF token: send the pw_csrf cookie value in X-CSRF-Token',
            code: 'csrf_invalid',
          });
        }
      }
      request.session = session;
      if (sessionRoute) return true;
      if (operatorRoute) {
        if (!session.user.isOperator)
          throw new ForbiddenException({ error: 'Only platform operators may call this route', code: 'operator_only' });
        return true;
      }
      principal = sessionPrincipal(session);
      if (!principal)
        throw new ForbiddenException({
          error: 'You are not a member of an organisation; accept an invitation or sign up',
          code: 'no_organization',
        });
    } else {
      const match = bearer;
      principal = known ?? (match ? await this.authenticator.authenticate(match[1]) : null);
      if (!principal) {
        const standing = await this.rateLimits.consume(this.authFailures, ip);
        if (standing) writeRateLimitHeaders(response, standing);
        if (!match)
          throw new UnauthorizedException({
            error: 'Missing API key: send "Authorization: Bearer <key>" or sign in',
            code: 'missing_api_key',
          });
        if (looksLikeApiKey(match[1]) && (await this.devices.isRevokedDeviceKey(hashApiKey(match[1])))) {
          throw new UnauthorizedException({ error: 'This device was revoked. Ask for a new pairing link.', code: 'device_revoked' });
        }
        throw new UnauthorizedException({ error: 'Invalid API key', code: 'invalid_api_key' });
      }
      if (sessionRoute || operatorRoute)
        throw new ForbiddenException({ error: 'This route needs a signed-in session, not an API key', code: 'session_required' });
    }
    request.principal = principal;
    if (principal.keyId) this.deviceActivity.seen(principal.keyId, request.header(APP_VERSION_HEADER));

    const route = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`;
    const decision = decideAccess(principal, this.reflector.getAllAndOverride<RouteAccess>(ROUTE_ACCESS, targets), route);
    const limit = perMinuteLimit(decision.rateGroup, principal.tenant.rateLimitPerMinute, {
      manage: this.config.RATE_LIMIT_MANAGE_PER_MINUTE,
      integrations: this.config.RATE_LIMIT_INTEGRATIONS_PER_MINUTE,
    });
    request.ratePolicy = { name: decision.rateGroup, limit, windowSeconds: 60 };
    let standing: RateStanding | undefined;
    if (known) {
      const outcome = await this.rateLimits.chargeUnlessBlocked(this.authFailures, ip, request.ratePolicy, principal.rateKey);
      if (outcome && 'blocked' in outcome) throw this.authRateLimited(response, outcome.blocked);
      standing = outcome?.charged;
    } else {
      standing = await this.rateLimits.consume(request.ratePolicy, principal.rateKey);
    }
    if (standing) {
      writeRateLimitHeaders(response, standing);
      if (!standing.allowed) {
        throw tooManyRequests(`Rate limit of ${limit} requests per minute exceeded for this API key, try again later`, 'rate_limited');
      }
    }
    if (!decision.allowed) throw new ForbiddenException({ error: decision.error, code: decision.code });
    return true;
  }

  private authRateLimited(response: Response, failures: RateStanding): HttpException {
    writeRateLimitHeaders(response, failures);
    return tooManyRequests('Too many failed authentication attempts from this address, try again later', 'auth_rate_limited');
  }
}

function tooManyRequests(error: string, code: string): HttpException {
  return new HttpException({ error, code }, HttpStatus.TOO_MANY_REQUESTS);
}
