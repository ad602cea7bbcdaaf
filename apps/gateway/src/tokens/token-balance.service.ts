import { Injectable } from '@nestjs/common';
import { DomainError, invalidArgument, isUuid, notFound } from '@passway/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { TokenBalanceRepository } from './token-balance.repository';

/** What a token buys: issuing a pass (an attendee) or creating an event. */
export type TokenResource = 'pass' | 'event';
export type LedgerReason = 'opening_balance' | 'top_up' | 'pass_issued' | 'pass_refund' | 'event_created' | 'event_refund';

const SPEND_REASON: Record<TokenResource, LedgerReason> = { pass: 'pass_issued', event: 'event_created' };
const REFUND_REASON: Record<TokenResource, LedgerReason> = { pass: 'pass_refund', event: 'event_refund' };

export interface LedgerEntry {
  id: string;
  delta: number;
  /** null while the tenant's balance is unlimited. */
  balanceAfter: number | null;
  reason: LedgerReason;
  /** What the token bought or was returned for. */
  resourceType: TokenResource | null;
  resourceId: string | null;
  actor: string;
  requestId: string | null;
  settled: boolean;
  createdAt: string;
}

export interface Balance {
  tokenBalance: number | null;
  tokensUsed: number;
}

/** A reservation whose create call has not said yes or no: what the reconciler must settle. */
export interface UnsettledIssue {
  tenantId: string;
  resourceType: TokenResource;
  resourceId: string;
}

/**
 * A tenant's token balance, kept exact by construction:
 * - issuing a pass or creating an event first reserves a token with one conditional UPDATE
 *   (`token_balance > 0`), so concurrent creations serialise on the tenant row and can never overdraw;
 * - the resource is created with the reservation's id, so whether a reservation was used can always
 *   be asked later (GetPass / GetEvent), and a rejected creation gives its token back;
 * - every change is a ledger row written in the same statement or transaction as the change.
 */
@Injectable()
export class TokenBalanceService {
  constructor(private readonly repository: TokenBalanceRepository) {}

  /**
   * Takes one token for a resource about to be created; the returned id is the new resource's id.
   * With `resourceId` (derived from an Idempotency-Key) a reservation that already holds a token for
   * that id is reused, so a retry never pays twice; one that was refunded is taken again.
   */
  async reserve(
    tenantId: string,
    resource: TokenResource,
    actor: string,
    requestId?: string,
    resourceId: string = randomUUID(),
  ): Promise<string> {
    return this.repository.transaction(async (manager) => {
      await this.repository.lockResource(manager, resourceId);
      if (await this.repository.holdsToken(manager, tenantId, resourceId)) return resourceId;
      const debited = await this.repository.debit(manager, {
        tenantId,
        reason: SPEND_REASON[resource],
        resource,
        resourceId,
        actor,
        requestId: requestId ?? null,
      });
      if (!debited) {
        throw new DomainError('forbidden', 'plan limit reached', 'plan_limit_reached', { tokenBalance: 0 });
      }
      return resourceId;
    });
  }

  /** The resource exists: its token is spent for good. */
  async settle(resourceId: string): Promise<void> {
    await this.repository.settle(resourceId);
  }

  /** The resource was not created: the token goes back. Safe to call twice; only the first call refunds. */
  async refund(resourceId: string, actor: string, requestId?: string): Promise<void> {
    await this.repository.transaction(async (manager) => {
      const released = await this.repository.releaseSpend(manager, resourceId);
      if (!released) return;
      const { tenantId, resource } = released;
      const balance = await this.adjust(manager, tenantId, 1, -1);
      await this.record(manager, tenantId, 1, balance, REFUND_REASON[resource], actor, requestId, { resource, resourceId });
    });
  }

  async topUp(tenantId: string, tokens: number, actor: string): Promise<Balance> {
    if (!Number.isInteger(tokens) || tokens < 1 || tokens > 1_000_000_000)
      throw invalidArgument('tokens must be a whole number of at least 1');
    if (!isUuid(tenantId)) throw notFound('Tenant');
    return this.repository.transaction(async (manager) => {
      const tenant = await this.repository.lockBalance(manager, tenantId);
      if (!tenant) throw notFound('Tenant');
      if (tenant.token_balance === null) throw invalidArgument('this tenant has an unlimited token balance', 'unlimited_balance');
      const balance = await this.adjust(manager, tenantId, tokens, 0);
      await this.record(manager, tenantId, tokens, balance.tokenBalance, 'top_up', actor);
      return balance;
    });
  }

  async ledger(tenantId: string, limit = 100, offset = 0): Promise<LedgerEntry[]> {
    const rows = await this.repository.ledger(tenantId, limit, offset);
    return rows.map((row) => ({
      id: row.id,
      delta: row.delta,
      balanceAfter: row.balance_after,
      reason: row.reason,
      resourceType: row.resource_type,
      resourceId: row.resource_id,
      actor: row.actor,
      requestId: row.request_id,
      settled: row.settled,
      createdAt: new Date(row.created_at).toISOString(),
    }));
  }

  ledgerSize(tenantId: string): Promise<number> {
    return this.repository.ledgerSize(tenantId);
  }

  /** Reservations still open after `olderThanMs`: their create call never answered clearly. */
  async unsettled(olderThanMs: number, limit = 50): Promise<UnsettledIssue[]> {
    const rows = await this.repository.unsettled(olderThanMs, limit);
    return rows.map((row) => ({ tenantId: row.tenant_id, resourceType: row.resource_type, resourceId: row.resource_id }));
  }

  private async adjust(
    manager: EntityManager,
    tenantId: string,
    balanceDelta: number,
    usedDelta: number,
  ): Promise<Balance & { tokenBalance: number | null }> {
    const row = await this.repository.adjust(manager, tenantId, balanceDelta, usedDelta);
    if (!row) throw notFound('Tenant');
    return { tokenBalance: row.token_balance, tokensUsed: row.tokens_used };
  }

  private record(
    manager: EntityManager,
    tenantId: string,
    delta: number,
    balanceAfter: number | null | Balance,
    reason: LedgerReason,
    actor: string,
    requestId?: string,
    target?: { resource: TokenResource; resourceId: string },
  ): Promise<void> {
    const after = typeof balanceAfter === 'object' && balanceAfter !== null ? balanceAfter.tokenBalance : balanceAfter;
    return this.repository.insertEntry(manager, { tenantId, delta, balanceAfter: after, reason, actor, requestId, ...target });
  }
}
