import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, invalidArgument, isUuid, notFound } from '@passway/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';

/** What a token buys: issuing a pass (an attendee) or creating an event. */
export type TokenResource = 'pass' | 'event';
export type LedgerReason = 'opening_balance' | 'top_up' | 'pass_issued' | 'pass_refund' | 'event_created' | 'event_refund';

const SPEND_REASON: Record<TokenResource, LedgerReason> = { pass: 'pass_issued', event: 'event_created' };
const REFUND_REASON: Record<TokenResource, LedgerReason> = { pass: 'pass_refund', event: 'event_refund' };
const SPEND_REASONS = `('pass_issued', 'event_created')`;

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

/** A gateway.token_ledger row as the driver returns it. */
interface LedgerRow {
  id: string;
  delta: number;
  balance_after: number | null;
  reason: LedgerReason;
  resource_type: TokenResource | null;
  resource_id: string | null;
  actor: string;
  request_id: string | null;
  settled: boolean;
  created_at: Date;
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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [resourceId]);
      const [held] = await manager.query<unknown[]>(
        `SELECT 1 FROM gateway.token_ledger WHERE resource_id = $1 AND tenant_id = $2 AND reason IN ${SPEND_REASONS} AND NOT refunded`,
        [resourceId, tenantId],
      );
      if (held) return resourceId;
      const rows: { balance_after: number | null }[] = await manager.query(
        `WITH debited AS (
           UPDATE gateway.tenants
              SET token_balance = token_balance - 1, tokens_used = tokens_used + 1, updated_at = now()
            WHERE id = $1 AND (token_balance IS NULL OR token_balance > 0)
            RETURNING id, token_balance
         )
         INSERT INTO gateway.token_ledger (tenant_id, delta, balance_after, reason, resource_type, resource_id, actor, request_id, settled)
         SELECT id, -1, token_balance, $5, $6, $2, $3, $4, false FROM debited
         RETURNING balance_after`,
        [tenantId, resourceId, actor, requestId ?? null, SPEND_REASON[resource], resource],
      );
      if (rows.length === 0) {
        throw new DomainError('forbidden', 'plan limit reached', 'plan_limit_reached', { tokenBalance: 0 });
      }
      return resourceId;
    });
  }

  /** The resource exists: its token is spent for good. */
  async settle(resourceId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE gateway.token_ledger SET settled = true WHERE resource_id = $1 AND reason IN ${SPEND_REASONS} AND NOT settled`,
      [resourceId],
    );
  }

  /** The resource was not created: the token goes back. Safe to call twice; only the first call refunds. */
  async refund(resourceId: string, actor: string, requestId?: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const released = returnedRows<{ tenant_id: string; resource_type: TokenResource }>(
        await manager.query(
          `UPDATE gateway.token_ledger SET settled = true, refunded = true
            WHERE resource_id = $1 AND reason IN ${SPEND_REASONS} AND NOT settled
            RETURNING tenant_id, resource_type`,
          [resourceId],
        ),
      );
      if (released.length === 0) return;
      const { tenant_id: tenantId, resource_type: resource } = released[0];
      const balance = await this.adjust(manager, tenantId, 1, -1);
      await this.record(manager, tenantId, 1, balance, REFUND_REASON[resource], actor, requestId, { resource, resourceId });
    });
  }

  async topUp(tenantId: string, tokens: number, actor: string): Promise<Balance> {
    if (!Number.isInteger(tokens) || tokens < 1 || tokens > 1_000_000_000)
      throw invalidArgument('tokens must be a whole number of at least 1');
    if (!isUuid(tenantId)) throw notFound('Tenant');
    return this.dataSource.transaction(async (manager) => {
      const [tenant]: { token_balance: number | null }[] = await manager.query(
        'SELECT token_balance FROM gateway.tenants WHERE id = $1 FOR UPDATE',
        [tenantId],
      );
      if (!tenant) throw notFound('Tenant');
      if (tenant.token_balance === null) throw invalidArgument('this tenant has an unlimited token balance', 'unlimited_balance');
      const balance = await this.adjust(manager, tenantId, tokens, 0);
      await this.record(manager, tenantId, tokens, balance.tokenBalance, 'top_up', actor);
      return balance;
    });
  }

  async ledger(tenantId: string, limit = 100, offset = 0): Promise<LedgerEntry[]> {
    const rows = await this.dataSource.query<LedgerRow[]>(
      `SELECT id, delta, balance_after, reason, resource_type, resource_id, actor, request_id, settled, created_at
         FROM gateway.token_ledger WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [tenantId, limit, offset],
    );
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

  async ledgerSize(tenantId: string): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM gateway.token_ledger WHERE tenant_id = $1', [
      tenantId,
    ]);
    return row.n;
  }

  /** Reservations still open after `olderThanMs`: their create call never answered clearly. */
  async unsettled(olderThanMs: number, limit = 50): Promise<UnsettledIssue[]> {
    const rows: { tenant_id: string; resource_type: TokenResource; resource_id: string }[] = await this.dataSource.query(
      `SELECT tenant_id, resource_type, resource_id FROM gateway.token_ledger
        WHERE NOT settled AND reason IN ${SPEND_REASONS} AND created_at < now() - make_interval(secs => $1)
        ORDER BY created_at LIMIT $2`,
      [olderThanMs / 1000, limit],
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, resourceType: row.resource_type, resourceId: row.resource_id }));
  }

  private async adjust(
    manager: EntityManager,
    tenantId: string,
    balanceDelta: number,
    usedDelta: number,
  ): Promise<Balance & { tokenBalance: number | null }> {
    const rows = returnedRows<{ token_balance: number | null; tokens_used: number }>(
      await manager.query(
        `UPDATE gateway.tenants
            SET token_balance = token_balance + $2, tokens_used = tokens_used + $3, updated_at = now()
          WHERE id = $1 RETURNING token_balance, tokens_used`,
        [tenantId, balanceDelta, usedDelta],
      ),
    );
    if (!rows[0]) throw notFound('Tenant');
    return { tokenBalance: rows[0].token_balance, tokensUsed: rows[0].tokens_used };
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
    return recordLedgerEntry(manager, { tenantId, delta, balanceAfter: after, reason, actor, requestId, ...target });
  }
}

/** TypeORM answers UPDATE ... RETURNING with [rows, count] and other statements with rows. */
function returnedRows<T>(result: unknown): T[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}

/** Appends one ledger row inside the caller's transaction (the one that changed the balance). */
export async function recordLedgerEntry(
  manager: EntityManager,
  entry: {
    tenantId: string;
    delta: number;
    balanceAfter: number | null;
    reason: LedgerReason;
    actor: string;
    requestId?: string;
    resource?: TokenResource;
    resourceId?: string;
  },
): Promise<void> {
  await manager.query(
    `INSERT INTO gateway.token_ledger (tenant_id, delta, balance_after, reason, resource_type, resource_id, actor, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      entry.tenantId,
      entry.delta,
      entry.balanceAfter,
      entry.reason,
      entry.resource ?? null,
      entry.resourceId ?? null,
      entry.actor,
      entry.requestId ?? null,
    ],
  );
}
