import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, invalidArgument, isUuid, notFound } from '@passway/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';

export type LedgerReason = 'opening_balance' | 'top_up' | 'pass_issued' | 'pass_refund';

export interface LedgerEntry {
  id: string;
  delta: number;
  /** null while the tenant's balance is unlimited. */
  balanceAfter: number | null;
  reason: LedgerReason;
  passId: string | null;
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
  passId: string;
}

/**
 * A tenant's token balance, kept exact by construction:
 * - issuing a pass first reserves a token with one conditional UPDATE (`token_balance > 0`), so
 *   concurrent creations serialise on the tenant row and can never overdraw;
 * - the pass is created with the reservation's id, so whether a reservation was used can always
 *   be asked later (GetPass), and a rejected creation gives its token back;
 * - every change is a ledger row written in the same statement or transaction as the change.
 */
@Injectable()
export class TokenBalanceService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Takes one token for a pass about to be created; the returned id is the new pass's id. */
  async reserve(tenantId: string, actor: string, requestId?: string): Promise<string> {
    const passId = randomUUID();
    const rows: { balance_after: number | null }[] = await this.dataSource.query(
      `WITH debited AS (
         UPDATE gateway.tenants
            SET token_balance = token_balance - 1, tokens_used = tokens_used + 1, updated_at = now()
          WHERE id = $1 AND (token_balance IS NULL OR token_balance > 0)
          RETURNING id, token_balance
       )
       INSERT INTO gateway.token_ledger (tenant_id, delta, balance_after, reason, pass_id, actor, request_id, settled)
       SELECT id, -1, token_balance, 'pass_issued', $2, $3, $4, false FROM debited
       RETURNING balance_after`,
      [tenantId, passId, actor, requestId ?? null],
    );
    if (rows.length === 0) {
      throw new DomainError('forbidden', 'plan limit reached', 'plan_limit_reached', { tokenBalance: 0 });
    }
    return passId;
  }

  /** The pass exists: its token is spent for good. */
  async settle(passId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE gateway.token_ledger SET settled = true WHERE pass_id = $1 AND reason = 'pass_issued' AND NOT settled`,
      [passId],
    );
  }

  /** The pass was not created: the token goes back. Safe to call twice; only the first call refunds. */
  async refund(passId: string, actor: string, requestId?: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const released = returnedRows<{ tenant_id: string }>(
        await manager.query(
          `UPDATE gateway.token_ledger SET settled = true
            WHERE pass_id = $1 AND reason = 'pass_issued' AND NOT settled
            RETURNING tenant_id`,
          [passId],
        ),
      );
      if (released.length === 0) return;
      const tenantId = released[0].tenant_id;
      const balance = await this.adjust(manager, tenantId, 1, -1);
      await this.record(manager, tenantId, 1, balance, 'pass_refund', actor, requestId, passId);
    });
  }

  async topUp(tenantId: string, tokens: number, actor: string): Promise<Balance> {
    if (!Number.isInteger(tokens) || tokens < 1 || tokens > 1_000_000_000) throw invalidArgument('tokens must be a whole number of at least 1');
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

  async ledger(tenantId: string, limit = 100): Promise<LedgerEntry[]> {
    const rows = await this.dataSource.query(
      `SELECT id, delta, balance_after, reason, pass_id, actor, request_id, settled, created_at
         FROM gateway.token_ledger WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map((row: any) => ({
      id: row.id,
      delta: row.delta,
      balanceAfter: row.balance_after,
      reason: row.reason,
      passId: row.pass_id,
      actor: row.actor,
      requestId: row.request_id,
      settled: row.settled,
      createdAt: new Date(row.created_at).toISOString(),
    }));
  }

  /** Reservations still open after `olderThanMs`: their create call never answered clearly. */
  async unsettled(olderThanMs: number, limit = 50): Promise<UnsettledIssue[]> {
    const rows: { tenant_id: string; pass_id: string }[] = await this.dataSource.query(
      `SELECT tenant_id, pass_id FROM gateway.token_ledger
        WHERE NOT settled AND reason = 'pass_issued' AND created_at < now() - make_interval(secs => $1)
        ORDER BY created_at LIMIT $2`,
      [olderThanMs / 1000, limit],
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, passId: row.pass_id }));
  }

  private async adjust(manager: EntityManager, tenantId: string, balanceDelta: number, usedDelta: number): Promise<Balance & { tokenBalance: number | null }> {
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
    passId?: string,
  ): Promise<void> {
    const after = typeof balanceAfter === 'object' && balanceAfter !== null ? balanceAfter.tokenBalance : balanceAfter;
    return recordLedgerEntry(manager, { tenantId, delta, balanceAfter: after, reason, actor, requestId, passId });
  }
}

/** TypeORM answers UPDATE ... RETURNING with [rows, count] and other statements with rows. */
function returnedRows<T>(result: unknown): T[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}

/** Appends one ledger row inside the caller's transaction (the one that changed the balance). */
export async function recordLedgerEntry(
  manager: EntityManager,
  entry: { tenantId: string; delta: number; balanceAfter: number | null; reason: LedgerReason; actor: string; requestId?: string; passId?: string },
): Promise<void> {
  await manager.query(
    `INSERT INTO gateway.token_ledger (tenant_id, delta, balance_after, reason, pass_id, actor, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [entry.tenantId, entry.delta, entry.balanceAfter, entry.reason, entry.passId ?? null, entry.actor, entry.requestId ?? null],
  );
}
