import { Inject, Injectable } from '@nestjs/common';
import {
  CreatedWebhookView,
  CreateWebhookDto,
  forbidden,
  invalidArgument,
  notFound,
  Page,
  PageQueryDto,
  pageWindow,
  WebhookView,
} from '@passway/common';
import { randomBytes } from 'node:crypto';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config';
import { SecretBox } from '../signing/secret-box';
import { generateSigningSecret } from '../signing/standard-webhooks';
import { TargetGuard, TargetRefused } from '../targets/target-guard';
import { DeliveriesRepository } from './deliveries.repository';
import { SubscriptionRow, SubscriptionsRepository } from './subscriptions.repository';

export const WEBHOOK_ID_PATTERN = /^wh_[0-9a-f]{24}$/;

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
    private readonly subscriptions: SubscriptionsRepository,
    private readonly deliveries: DeliveriesRepository,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    private readonly guard: TargetGuard,
    private readonly secrets: SecretBox,
  ) {}

  async list(tenantId: string, query: PageQueryDto): Promise<Page<WebhookView>> {
    const { page, limit, offset } = pageWindow(query);
    const rows = await this.subscriptions.list(tenantId, limit, offset);
    const total = rows.length > 0 ? Number(rows[0].total) : await this.subscriptions.count(tenantId);
    return { items: rows.map(toView), total, page, limit };
  }

  async create(tenantId: string, input: CreateWebhookDto): Promise<CreatedWebhookView> {
    await this.checkTarget(input.targetUrl);
    const id = `wh_${randomBytes(12).toString('hex')}`;
    const secret = generateSigningSecret();
    const row = await this.subscriptions.transaction(async (manager) => {
      // One creation at a time per tenant, so concurrent requests cannot overshoot the quota.
      await this.subscriptions.lockTenantQuota(manager, tenantId);
      if ((await this.subscriptions.count(tenantId, manager)) >= this.config.WEBHOOK_QUOTA) {
        throw forbidden(`Webhook quota reached: a tenant may have ${this.config.WEBHOOK_QUOTA} webhooks`, 'webhook_quota_exceeded');
      }
      return this.subscriptions.insert(manager, {
        id,
        tenantId,
        event: input.event,
        targetUrl: input.targetUrl,
        secretEncrypted: this.secrets.seal(secret, id),
      });
    });
    return { ...toView(row), secret };
  }

  /** Soft delete; deliveries not yet made are settled as not sent and the worker will not start them. */
  async remove(tenantId: string, id: string): Promise<{ success: true }> {
    await this.subscriptions.transaction(async (manager) => {
      const deleted = WEBHOOK_ID_PATTERN.test(id) ? await this.subscriptions.softDelete(manager, id, tenantId) : false;
      if (!deleted) throw notFound('Webhook');
      await this.deliveries.failPendingOfDeleted(manager, id);
    });
    return { success: true };
  }

  /** The tenant's live subscription of that id, or a 404. */
  async require(tenantId: string, id: string): Promise<SubscriptionRow> {
    const row = WEBHOOK_ID_PATTERN.test(id) ? await this.subscriptions.find(tenantId, id) : undefined;
    if (!row) throw notFound('Webhook');
    return row;
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
}
