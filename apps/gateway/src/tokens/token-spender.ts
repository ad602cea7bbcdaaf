import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CreateEventDto, CreatePassDto, EventView, isDefiniteRefusal, PassView, UpstreamError } from '@passway/common';
import { Principal } from '../auth/principal';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { PassesClient } from '../rpc/service-clients.module';
import { idempotentResourceId } from '../idempotency/idempotent-resource-id';
import { TokenBalanceService, TokenResource } from './token-balance.service';

/** The passes-service command that finds each kind of resource again. */
const FIND_COMMANDS = { pass: 'GetPass', event: 'GetEvent' } as const satisfies Record<TokenResource, string>;

/**
 * Creates what tokens pay for (a pass, an event) against the tenant's balance: reserve a token,
 * create the resource with the reservation's id, then settle (created) or refund (refused). When the
 * create call ends without a clear answer (timeout, passes down mid-call, gateway crash), the
 * reservation stays open and the reconciler below settles it later by asking whether it exists.
 */
@Injectable()
export class TokenSpender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TokenSpender.name);
  private timer: NodeJS.Timeout | undefined;
  private reconciling = false;

  constructor(
    private readonly tokens: TokenBalanceService,
    private readonly passes: PassesClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * `idempotencyKey`, when the request has one, fixes the new pass's id (derived from tenant and key),
   * so a retry after an unknown outcome finds the pass the first attempt made and pays no second token.
   */
  issuePass(principal: Principal, input: CreatePassDto, requestId?: string, idempotencyKey?: string): Promise<PassView> {
    return this.spend('pass', principal, requestId, idempotencyKey, (command) =>
      this.passes.call('CreatePass', { ...command, input }, requestId),
    );
  }

  createEvent(principal: Principal, input: CreateEventDto, requestId?: string, idempotencyKey?: string): Promise<EventView> {
    return this.spend('event', principal, requestId, idempotencyKey, (command) =>
      this.passes.call('CreateEvent', { ...command, input }, requestId),
    );
  }

  /** `create` makes the resource under the reservation's id. */
  private async spend<T>(
    resource: TokenResource,
    principal: Principal,
    requestId: string | undefined,
    idempotencyKey: string | undefined,
    create: (command: { tenantId: string; id: string }) => Promise<T>,
  ): Promise<T> {
    const tenantId = principal.tenant.id;
    const actor = `${principal.actor.type === 'api_key' ? 'api-key' : 'user'}:${principal.actor.id}`;
    const resourceId = idempotencyKey === undefined ? undefined : idempotentResourceId(tenantId, resource, idempotencyKey);
    const id = await this.tokens.reserve(tenantId, resource, actor, requestId, resourceId);
    let created: T;
    try {
      created = await create({ tenantId, id });
    } catch (error) {
      if (isDefiniteRefusal(error)) await this.tokens.refund(id, actor, requestId);
      else this.logger.warn(`${resource} ${id}: create ended without a clear answer; the reconciler will settle its token`);
      throw error;
    }
    await this.tokens
      .settle(id)
      .catch((error: unknown) =>
        this.logger.warn(
          `${resource} ${id}: settle deferred to the reconciler (${error instanceof Error ? error.message : String(error)})`,
        ),
      );
    return created;
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
   * the resource exists → spent; it does not → refunded. Every replica may run this; refund is conditional.
   */
  async reconcile(): Promise<number> {
    if (this.reconciling) return 0;
    this.reconciling = true;
    let settled = 0;
    try {
      const open = await this.tokens.unsettled(this.config.TOKEN_RECONCILE_AFTER_MS);
      for (const { tenantId, resourceType, resourceId } of open) {
        try {
          await this.passes.call(FIND_COMMANDS[resourceType], { tenantId, id: resourceId });
          await this.tokens.settle(resourceId);
        } catch (error) {
          if (!(error instanceof UpstreamError && error.status === 404)) continue; // passes unreachable: next round
          await this.tokens.refund(resourceId, 'reconciler');
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
