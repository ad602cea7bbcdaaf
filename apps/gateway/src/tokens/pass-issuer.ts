import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CreatePassDto, DomainError, PassView, UpstreamError } from '@passway/common';
import { Principal } from '../auth/principal';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { PassesClient } from '../rpc/service-clients.module';
import { TokenBalanceService } from './token-balance.service';

/** A service's clear "no" (4xx): the pass was not created, so its token can go back. */
function definitelyNotCreated(error: unknown): boolean {
  if (error instanceof UpstreamError) return error.status >= 400 && error.status < 500;
  return error instanceof DomainError && error.kind !== 'unavailable';
}

/**
 * Issues a pass against the tenant's token balance: reserve a token, create the pass with the
 * reservation's id, then settle (created) or refund (refused). When the create call ends without a
 * clear answer (timeout, passes down mid-call, gateway crash), the reservation stays open and the
 * reconciler below settles it later by asking the passes service whether that pass exists.
 */
@Injectable()
export class PassIssuer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PassIssuer.name);
  private timer: NodeJS.Timeout | undefined;
  private reconciling = false;

  constructor(
    private readonly tokens: TokenBalanceService,
    private readonly passes: PassesClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async issue(principal: Principal, input: CreatePassDto, requestId?: string): Promise<PassView> {
    const tenantId = principal.tenant.id;
    const actor = `api-key:${principal.keyId}`;
    const passId = await this.tokens.reserve(tenantId, actor, requestId);
    let pass: PassView;
    try {
      pass = await this.passes.call<PassView>('CreatePass', { tenantId, id: passId, input }, requestId);
    } catch (error) {
      if (definitelyNotCreated(error)) await this.tokens.refund(passId, actor, requestId);
      else this.logger.warn(`pass ${passId}: create ended without a clear answer; the reconciler will settle its token`);
      throw error;
    }
    await this.tokens.settle(passId).catch((error) => this.logger.warn(`pass ${passId}: settle deferred to the reconciler (${error.message})`));
    return pass;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.reconcile(), this.config.TOKEN_RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * Settles reservations older than TOKEN_RECONCILE_AFTER_MS (many RPC deadlines, so the create cannot still be running):
   * the pass exists → spent; it does not → refunded. Every replica may run this; refund is conditional.
   */
  async reconcile(): Promise<number> {
    if (this.reconciling) return 0;
    this.reconciling = true;
    let settled = 0;
    try {
      const open = await this.tokens.unsettled(this.config.TOKEN_RECONCILE_AFTER_MS);
      for (const { tenantId, passId } of open) {
        try {
          await this.passes.call('GetPass', { tenantId, id: passId });
          await this.tokens.settle(passId);
        } catch (error) {
          if (!(error instanceof UpstreamError && error.status === 404)) continue; // passes unreachable: next round
          await this.tokens.refund(passId, 'reconciler');
        }
        settled += 1;
      }
      if (settled > 0) this.logger.log(`reconciled ${settled} token reservation(s)`);
    } catch (error) {
      this.logger.warn(`token reconciliation failed: ${(error as Error).message}`);
    } finally {
      this.reconciling = false;
    }
    return settled;
  }
}
