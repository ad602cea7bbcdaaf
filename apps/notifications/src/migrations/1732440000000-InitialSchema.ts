import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTablesSql } from '@passway/common';

export class InitialSchema1732440000000 implements MigrationInterface {
  name = 'InitialSchema1732440000000';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      ...outboxTablesSql('notifications'),
      // One row per email: rendered once when the event is consumed, then delivered (or logged) by the queue.
      `CREATE TABLE notifications.emails (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         pass_id uuid NOT NULL,
         pass_code text NOT NULL,
         event_id uuid NOT NULL,
         kind text NOT NULL CHECK (kind IN ('pass_issued', 'pass_revoked')),
         to_address text NOT NULL,
         subject text NOT NULL,
         html text NOT NULL,
         text text NOT NULL,
         provider text NOT NULL CHECK (provider IN ('resend', 'log')),
         provider_message_id text,
         status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'logged')),
         attempts int NOT NULL DEFAULT 0,
         last_error text,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         sent_at timestamptz,
         UNIQUE (event_id, kind)
       )`,
      `CREATE INDEX emails_tenant_pass ON notifications.emails (tenant_id, pass_id, created_at)`,
      `CREATE INDEX emails_queued ON notifications.emails (created_at) WHERE status = 'queued'`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS notifications.emails, notifications.outbox, notifications.processed_events');
    await runner.query('DROP FUNCTION IF EXISTS notifications.notify_outbox()');
  }
}
