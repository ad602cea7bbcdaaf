import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CreatedWebhookView,
  CreateWebhookDto,
  forbidden,
  invalidArgument,
  notFound,
  Page,
  PageQueryDto,
  pageWindow,
  SubscribableEventType,
  WebhookView,
} from '@passway/common';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config';
import { SecretBox } from '../signing/secret-box';
import { generateSigningSecret } from '../signing/standard-webhooks';
import { TargetGuard, TargetRefused } from '../targets/target-guard';

export const WEBHOOK_ID_PATTERN = /^wh_[0-9a-f]{24}$/;

interface SubscriptionRow {
  id: string;
  event: SubscribableEventType;
  target_url: string;
  active: boolean;
  disabled_reason: string | null;
  created_at: Date;
}

const toView = (row: SubscriptionRow): WebhookView => ({
  id: row.id,
  event: row.event,
  targetUrl: row.target_url,
  active: row.active,
  disabledReason: row.disabled_reason,
  createdAt: row.created_at.toISOString(),
});

@Injectable()
export class SubscriptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    private readonly guard: TargetGuard,
    private readonly secrets: SecretBox,
  ) {}

  async list(tenantId: string, query: PageQueryDto): Promise<Page<WebhookView>> {
    const { page, limit, offset } = pageWindow(query);
    const rows: (SubscriptionRow & { total: string })[] = await this.dataSource.query(
      `SELECT id, event, target_url, active, disabled_reason, created_at, count(*) OVER () AS total
         FROM webhooks.subscriptions WHERE tenant_id = $1 AND deleted_at IS NULL
        ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [tenantId, limit, offset],
    );
    const total = rows.length > 0 ? Number(rows[0].total) : await this.count(this.dataSource.manager, tenantId);
    return { items: rows.map(toView), total, page, limit };
  }

  async create(tenantId: string, input: CreateWebhookDto): Promise<CreatedWebhookView> {
    await this.checkTarget(input.targetUrl);
    const id = `wh_${randomBytes(12).toString('hex')}`;
    const secret = generateSigningSecret();
    const row = await this.dataSource.transaction(async (manager) => {
      // One creation at a time per tenant, so concurrent requests cannot overshoot the quota.
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`webhook-quota:${tenantId}`]);
      if ((await this.count(manager, tenantId)) >= this.config.WEBHOOK_QUOTA) {
        throw forbidden(`Webhook quota reached: a tenant may have ${this.config.WEBHOOK_QUOTA} webhooks`, 'webhook_quota_exceeded');
      }
      const [inserted]: SubscriptionRow[] = await manager.query(
        `INSERT INTO webhooks.subscriptions (id, tenant_id, event, target_url, secret_encrypted) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, event, target_url, active, disabled_reason, created_at`,
        [id, tenantId, input.event, input.targetUrl, this.secrets.seal(secret, id)],
      );
      return inserted;
    });
    return { ...toView(row), secret };
  }

  /** Soft delete; deliveries not yet made are settled as not sent and the worker will not start them. */
  async remove(tenantId: string, id: string): Promise<{ success: true }> {
    await this.dataSource.transaction(async (manager) => {
      const deleted: unknown[] = WEBHOOK_ID_PATTERN.test(id)
        ? await manager.query(
            `WITH deleted AS (
               UPDATE webhooks.subscriptions SET deleted_at = now(), active = false
                WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL RETURNING id)
             SELECT id FROM deleted`,
            [id, tenantId],
          )
        : [];
      if (deleted.length === 0) throw notFound('Webhook');
      await manager.query(
        `UPDATE webhooks.deliveries SET status = 'failed', next_retry_at = NULL, last_error = 'not sent: the webhook was deleted',
                updated_at = now()
          WHERE subscription_id = $1 AND status IN ('pending', 'retrying')`,
        [id],
      );
    });
    return { success: true };
  }

  /** The tenant's live subscription of that id, or a 404. */
  async require(manager: EntityManager, tenantId: string, id: string): Promise<SubscriptionRow> {
    const rows: SubscriptionRow[] = WEBHOOK_ID_PATTERN.test(id)
      ? await manager.query(
          `SELECT id, event, target_url, active, disabled_reason, created_at FROM webhooks.subscriptions
            WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`,
          [id, tenantId],
        )
      : [];
    if (!rows[0]) throw notFound('Webhook');
    return rows[0];
  }

  private async checkTarget(targetUrl: string): Promise<void> {
    try {
      if (this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS) this.guard.checkUrl(targetUrl);
      else await this.guard.resolveTarget(targetUrl);
    } catch (error) {
      if (error instanceof TargetRefused) throw invalidArgument(error.message, error.code);
      throw error;
    }
  }

  private async count(manager: EntityManager, tenantId: string): Promise<number> {
    const [{ count }] = await manager.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM webhooks.subscriptions WHERE tenant_id = $1 AND deleted_at IS NULL`,
      [tenantId],
    );
    return count;
  }
}
