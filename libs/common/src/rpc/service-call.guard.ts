import { CanActivate, ExecutionContext, Logger } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { DomainError } from '../errors/domain-error';
import { RpcCommand } from './command';
import { SERVICE_TOKEN_METADATA, ServiceTokens } from './service-token';

/** grpc.health.v1 answers only SERVING or not, and probes cannot sign: it stays open. */
const UNAUTHENTICATED_PREFIX = '/grpc.health.v1.';

/**
 * Every Passway gRPC call must carry a valid service token for its method and command bytes
 * (docs/security.md); anything else is refused with UNAUTHENTICATED before a handler runs.
 */
export class ServiceCallGuard implements CanActivate {
  private readonly logger = new Logger('ServiceAuth');

  constructor(private readonly tokens: ServiceTokens) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc') return true;
    const [message, metadata, call] =
      context.getArgs<[RpcCommand | undefined, Metadata | undefined, { getPath?: () => string } | undefined]>();
    const path = call?.getPath?.() ?? '';
    if (path.startsWith(UNAUTHENTICATED_PREFIX)) return true;
    const token = metadata?.get(SERVICE_TOKEN_METADATA)?.[0];
    const verdict = this.tokens.verify(
      typeof token === 'string' ? token : undefined,
      path,
      typeof message?.json === 'string' ? message.json : '',
    );
    if (verdict === 'valid') return true;
    this.logger.warn(`refused ${path || 'a call'}: service token ${verdict.replace('_', ' ')}`);
    throw new DomainError('unauthenticated', `service token ${verdict.replace('_', ' ')}`, 'unauthenticated');
  }
}
