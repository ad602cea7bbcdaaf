import { Injectable } from '@nestjs/common';
import { SubscribableEventType, DatabaseRepository } from '@passway/common';
import { EntityManager } from 'typeorm';

export interface SubscriptionRow {
  id: string;
  event: SubscribableEventType;
  target_url: string;
  active: boolean;
  disabled_reason: string | null;
  created_at: Date;
}

/** The webhook subscriptions' queries. */
@Injectable()
export class SubscriptionsRepository extends DatabaseRepository {
  /** One page of the tenant's live subscriptions, newest first, each row carrying the total. */
  list(tenantId: string, limit: number, offset: number): Promise<(SubscriptionRow & { total: string })[]> {
    return this.dataSource.query<(SubscriptionRow & { total: string })[]>(
      `SELECT id, event, target_url, active, disabled_reason, created_at, count(*) OVER () AS total
         FROM webhooks.subscriptions WHERE tenant_id = $1 AND deleted_at IS NULL
        ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [tenantId, limit, offset],
    );
  }

  /** The tenant's live subscriptions; in the caller's transaction when given its manager. */
  async count(tenantId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [{ count }] = await manager.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM webhooks.subscriptions WHERE tenant_id = $1 AND deleted_at IS NULL`,
      [tenantId],
    );
    return count;
  }

  /** Serializes the tenant's creations until the caller's transaction ends. */
  async lockTenantQuota(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`webhook-quota:${tenantId}`]);
  }

  async insert(
    manager: EntityManager,
    input: { id: string; tenantId: string; event: SubscribableEventType; targetUrl: string; secretEncrypted: string },
  ): Promise<SubscriptionRow> {
    const [inserted] = await manager.query<SubscriptionRow[]>(
      `INSERT INTO webhooks.subscriptions (id, tenant_id, event, target_url, secret_encrypted) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, event, target_url, active, disabled_reason, created_at`,
      [input.id, input.tenantId, input.event, input.targetUrl, input.secretEncrypted],
    );
    return inserted;
  }

  /** Soft delete (deleted and inactive); false when the tenant has no live subscription of that id. */
  async softDelete(manager: EntityManager, id: string, tenantId: string): Promise<boolean> {
    const deleted = await manager.query<unknown[]>(
      `WITH deleted AS (
         UPDATE webhooks.subscriptions SET deleted_at = now(), active = false
          WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL RETURNING id)
       SELECT id FROM deleted`,
      [id, tenantId],
    );
    return deleted.length > 0;
  }

  /** The tenant's live subscription of that id. */
  async find(tenantId: string, id: string): Promise<SubscriptionRow | undefined> {
    const rows = await this.dataSource.query<SubscriptionRow[]>(
      `SELECT id, event, target_url, active, disabled_reason, created_at FROM webhooks.subscriptions
        WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`,
      [id, tenantId],
    );
    return rows[0];
  }

  /** A delivery succeeded: the subscription's failing streak, if any, ends. */
  async clearFailing(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE webhooks.subscriptions SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`, [id]);
  }

  /**
   * A delivery failed: starts or continues the subscription's failing streak and disables it once the
   * streak is `disableAfterMs` long. Undefined for a deleted subscription.
   */
  async noteFailure(
    manager: EntityManager,
    id: string,
    disableAfterMs: number,
  ): Promise<{ disabled: boolean; failing_since: Date } | undefined> {
    const [subscription] = await manager.query<{ disabled: boolean; failing_since: Date }[]>(
      `WITH updated AS (
       UPDATE webhooks.subscriptions
          SET failing_since = COALESCE(failing_since, now()),
              active = active AND COALESCE(failing_since, now()) > now() - $2::bigint * interval '1 millisecond',
              disabled_reason = CASE
                WHEN active AND COALESCE(failing_since, now()) <= now() - $2::bigint * interval '1 millisecond'
                THEN 'disabled automatically: every delivery has failed since ' || to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                ELSE disabled_reason END
        WHERE id = $1 AND deleted_at IS NULL
        RETURNING NOT active AS disabled, failing_since)
       SELECT disabled, failing_since FROM updated`,
      [id, disableAfterMs],
    );
    return subscription;
  }

  /** Removes up to `limit` subscriptions deleted before `cutoff` that no delivery refers to; how many. */
  async purgeDeleted(cutoff: Date, limit: number): Promise<number> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM webhooks.subscriptions WHERE id IN (
         SELECT s.id FROM webhooks.subscriptions s
          WHERE s.deleted_at < $1 AND NOT EXISTS (SELECT 1 FROM webhooks.deliveries d WHERE d.subscription_id = s.id)
          LIMIT $2)`,
      [cutoff, limit],
    );
    return affected;
  }
}
