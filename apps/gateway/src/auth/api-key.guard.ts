import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RequestContext } from '@passway/common';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AuthenticatedRequest, IS_PUBLIC } from './principal';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new UnauthorizedException({ error: 'Missing API key: send "Authorization: Bearer <key>"', code: 'missing_api_key' });
    }
    const principal = await this.authenticator.authenticate(match[1]);
    if (!principal) throw new UnauthorizedException({ error: 'Invalid API key', code: 'invalid_api_key' });
    request.principal = principal;
    RequestContext.assign({ tenantId: principal.tenant.id });
    return true;
  }
}
