import { Injectable } from '@nestjs/common';
import { DatabaseRepository } from '@passway/common';
import { EntityManager } from 'typeorm';
import type { LedgerReason, TokenResource } from './token-balance.service';

const SPEND_REASONS = `('pass_issued', 'event_created')`;

/** A gateway.token_ledger row as the driver returns it. */
export interface LedgerRow {
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

/** An open spend the reconciler must settle, as the driver returns it. */
export interface UnsettledRow {
  tenant_id: string;
  resource_type: TokenResource;
  resource_id: string;
}

/** A tenant's balance columns as the driver returns them. */
export interface BalanceRow {
  token_balance: number | null;
  tokens_used: number;
}

/** A ledger row for the caller's transaction to append. */
export interface LedgerEntryInput {
  tenantId: string;
  delta: number;
  balanceAfter: number | null;
  reason: LedgerReason;
  actor: string;
  requestId?: string;
  resource?: TokenResource;
  resourceId?: string;
}

/** The queries behind token balances: gateway.token_ledger and the balance columns of gateway.tenants. */
@Injectable()
export class TokenBalanceRepository extends DatabaseRepository {
  /** Serialises, until the transaction ends, everything done for this resource id. */
  async lockResource(manager: EntityManager, resourceId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [resourceId]);
  }

  /** Whether an unrefunded spend of the tenant's already holds a token for this resource id. */
  async holdsToken(manager: EntityManager, tenantId: string, resourceId: string): Promise<boolean> {
    const [held] = await manager.query<unknown[]>(
      `SELECT 1 FROM gateway.token_ledger WHERE resource_id = $1 AND tenant_id = $2 AND reason IN ${SPEND_REASONS} AND NOT refunded`,
      [resourceId, tenantId],
    );
    return Boolean(held);
  }

  /**
   * Takes one token (unless the balance is unlimited) and writes the unsettled spend in one statement;
   * false when the balance is empty or there is no such tenant.
   */
  async debit(
    manager: EntityManager,
    spend: { tenantId: string; reason: LedgerReason; resource: TokenResource; resourceId: string; actor: string; requestId: string | null },
  ): Promise<boolean> {
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
      [spend.tenantId, spend.resourceId, spend.actor, spend.requestId, spend.reason, spend.resource],
    );
    return rows.length > 0;
  }

  /** Marks the resource's open spend settled. */
  async settle(resourceId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE gateway.token_ledger SET settled = true WHERE resource_id = $1 AND reason IN ${SPEND_REASONS} AND NOT settled`,
      [resourceId],
    );
  }

  /** Marks the resource's open spend settled and refunded; the spend it released, null when none was open. */
  async releaseSpend(manager: EntityManager, resourceId: string): Promise<{ tenantId: string; resource: TokenResource } | null> {
    const released = returnedRows<{ tenant_id: string; resource_type: TokenResource }>(
      await manager.query(
        `UPDATE gateway.token_ledger SET settled = true, refunded = true
          WHERE resource_id = $1 AND reason IN ${SPEND_REASONS} AND NOT settled
          RETURNING tenant_id, resource_type`,
        [resourceId],
      ),
    );
    if (released.length === 0) return null;
    return { tenantId: released[0].tenant_id, resource: released[0].resource_type };
  }

  /** The tenant's balance, its row locked for the rest of the transaction; undefined when there is no such tenant. */
  async lockBalance(manager: EntityManager, tenantId: string): Promise<{ token_balance: number | null } | undefined> {
    const [tenant]: { token_balance: number | null }[] = await manager.query(
      'SELECT token_balance FROM gateway.tenants WHERE id = $1 FOR UPDATE',
      [tenantId],
    );
    return tenant;
  }

  /** Adds to the tenant's balance and tokens used; the new values, undefined when there is no such tenant. */
  async adjust(manager: EntityManager, tenantId: string, balanceDelta: number, usedDelta: number): Promise<BalanceRow | undefined> {
    const rows = returnedRows<BalanceRow>(
      await manager.query(
        `UPDATE gateway.tenants
            SET token_balance = token_balance + $2, tokens_used = tokens_used + $3, updated_at = now()
          WHERE id = $1 RETURNING token_balance, tokens_used`,
        [tenantId, balanceDelta, usedDelta],
      ),
    );
    return rows[0];
  }

  /** Appends one ledger row inside the caller's transaction (the one that changed the balance). */
  async insertEntry(manager: EntityManager, entry: LedgerEntryInput): Promise<void> {
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

  ledger(tenantId: string, limit: number, offset: number): Promise<LedgerRow[]> {
    return this.dataSource.query<LedgerRow[]>(
      `SELECT id, delta, balance_after, reason, resource_type, resource_id, actor, request_id, settled, created_at
         FROM gateway.token_ledger WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [tenantId, limit, offset],
    );
  }

  async ledgerSize(tenantId: string): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM gateway.token_ledger WHERE tenant_id = $1', [
      tenantId,
    ]);
    return row.n;
  }

  /** Open spends created more than `olderThanMs` ago, oldest first. */
  unsettled(olderThanMs: number, limit: number): Promise<UnsettledRow[]> {
    return this.dataSource.query<UnsettledRow[]>(
      `SELECT tenant_id, resource_type, resource_id FROM gateway.token_ledger
        WHERE NOT settled AND reason IN ${SPEND_REASONS} AND created_at < now() - make_interval(secs => $1)
        ORDER BY created_at LIMIT $2`,
      [olderThanMs / 1000, limit],
    );
  }
}

/** TypeORM answers UPDATE ... RETURNING with [rows, count] and other statements with rows. */
function returnedRows<T>(result: unknown): T[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}
