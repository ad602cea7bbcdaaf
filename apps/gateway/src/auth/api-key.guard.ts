import { CanActivate, ExecutionContext, ForbiddenException, HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { APP_VERSION_HEADER, DeviceActivity } from '../devices/device-activity';
import { DevicesService } from '../devices/devices.service';
import { hashApiKey, looksLikeApiKey } from '../api-keys/api-key-secret';
import { perMinuteLimit, RatePolicy, writeRateLimitHeaders } from '../rate-limit/rate-limit-policy';
import { RateLimiterService } from '../rate-limit/rate-limiter.service';
import { decideAccess } from './access-policy';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AuthenticatedRequest, IS_PUBLIC } from './principal';
import { ROUTE_ACCESS, RouteAccess } from './route-access';

/**
 * Everything the gateway checks before a command: in this order,
 * 1. the client IP's failed-authentication budget (a brute-force guard: 429 before any key is looked at);
 * 2. the API key (401, counted against that budget);
 * 3. the key's rate limit for the route's group (429; headers on every authenticated response);
 * 4. the tenant's plan and the key's role against the route's @Access metadata (403 with the reason).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly authFailures: RatePolicy;

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
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

    const failures = await this.rateLimits.peek(this.authFailures, ip);
    if (failures && !failures.allowed) {
      writeRateLimitHeaders(response, failures);
      throw tooManyRequests('Too many failed authentication attempts from this address, try again later', 'auth_rate_limited');
    }

    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const principal = match ? await this.authenticator.authenticate(match[1]) : null;
    if (!principal) {
      const standing = await this.rateLimits.consume(this.authFailures, ip);
      if (standing) writeRateLimitHeaders(response, standing);
      if (!match) throw new UnauthorizedException({ error: 'Missing API key: send "Authorization: Bearer <key>"', code: 'missing_api_key' });
      if (looksLikeApiKey(match[1]) && (await this.devices.isRevokedDeviceKey(hashApiKey(match[1])))) {
        throw new UnauthorizedException({ error: 'This device was revoked. Ask for a new pairing link.', code: 'device_revoked' });
      }
      throw new UnauthorizedException({ error: 'Invalid API key', code: 'invalid_api_key' });
    }
    request.principal = principal;
    this.deviceActivity.seen(principal.keyId, request.header(APP_VERSION_HEADER));

    const route = `${request.method} ${request.route?.path ?? request.path}`;
    const decision = decideAccess(principal, this.reflector.getAllAndOverride<RouteAccess>(ROUTE_ACCESS, targets), route);
    const limit = perMinuteLimit(decision.rateGroup, principal.tenant.rateLimitPerMinute, {
      manage: this.config.RATE_LIMIT_MANAGE_PER_MINUTE,
      integrations: this.config.RATE_LIMIT_INTEGRATIONS_PER_MINUTE,
    });
    const standing = await this.rateLimits.consume({ name: decision.rateGroup, limit, windowSeconds: 60 }, principal.keyId);
    if (standing) {
      writeRateLimitHeaders(response, standing);
      if (!standing.allowed) {
        throw tooManyRequests(`Rate limit of ${limit} requests per minute exceeded for this API key, try again later`, 'rate_limited');
      }
    }
    if (!decision.allowed) throw new ForbiddenException({ error: decision.error, code: decision.code });
    return true;
  }
}

function tooManyRequests(error: string, code: string): HttpException {
  return new HttpException({ error, code }, HttpStatus.TOO_MANY_REQUESTS);
}
