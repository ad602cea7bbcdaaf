import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTablesSql } from '@passway/common';

export class InitialSchema1732440000000 implements MigrationInterface {
  name = 'InitialSchema1732440000000';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE webhooks.subscriptions (
         id text PRIMARY KEY,
         tenant_id uuid NOT NULL,
         event text NOT NULL,
         target_url text NOT NULL,
         secret_encrypted text NOT NULL,
         active boolean NOT NULL DEFAULT true,
         disabled_reason text,
         failing_since timestamptz,
         created_at timestamptz NOT NULL DEFAULT now(),
         deleted_at timestamptz
       )`,
      `CREATE INDEX subscriptions_tenant ON webhooks.subscriptions (tenant_id, created_at DESC) WHERE deleted_at IS NULL`,
      `CREATE INDEX subscriptions_matching ON webhooks.subscriptions (tenant_id, event) WHERE active AND deleted_at IS NULL`,
      `CREATE TABLE webhooks.event_log (
         event_id uuid PRIMARY KEY,
         tenant_id uuid NOT NULL,
         type text NOT NULL,
         occurred_at timestamptz NOT NULL,
         data jsonb NOT NULL,
         logged_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX event_log_polling ON webhooks.event_log (tenant_id, type, occurred_at DESC, event_id DESC)`,
      `CREATE TABLE webhooks.deliveries (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         subscription_id text NOT NULL REFERENCES webhooks.subscriptions (id),
         event_id uuid NOT NULL REFERENCES webhooks.event_log (event_id),
         message_id text NOT NULL UNIQUE,
         status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'succeeded', 'failed')),
         attempt_count int NOT NULL DEFAULT 0,
         last_status_code int,
         last_duration_ms int,
         last_error text,
         next_retry_at timestamptz,
         enqueued_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (subscription_id, event_id)
       )`,
      `CREATE INDEX deliveries_subscription ON webhooks.deliveries (subscription_id, created_at DESC, id DESC)`,
      `CREATE INDEX deliveries_unsettled ON webhooks.deliveries (status, updated_at) WHERE status IN ('pending', 'retrying')`,
      `CREATE INDEX deliveries_unqueued ON webhooks.deliveries (created_at) WHERE enqueued_at IS NULL AND status IN ('pending', 'retrying')`,
      `CREATE TABLE webhooks.delivery_attempts (
         delivery_id uuid NOT NULL REFERENCES webhooks.deliveries (id) ON DELETE CASCADE,
         attempt int NOT NULL,
         status_code int,
         duration_ms int NOT NULL,
         error text,
         attempted_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (delivery_id, attempt)
       )`,
      ...outboxTablesSql('webhooks'),
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['delivery_attempts', 'deliveries', 'event_log', 'subscriptions', 'outbox', 'processed_events']) {
      await runner.query(`DROP TABLE IF EXISTS webhooks.${table} CASCADE`);
    }
    await runner.query('DROP FUNCTION IF EXISTS webhooks.notify_outbox()');
  }
}
