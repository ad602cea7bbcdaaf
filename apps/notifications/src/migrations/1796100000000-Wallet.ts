import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wallet passes: which devices hold which pass (Apple's web-service registrations), each pass's
 * update tag, and how far each device has been pushed.
 */
export class Wallet1796100000000 implements MigrationInterface {
  name = 'Wallet1796100000000';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      // The tag Apple devices send back as passesUpdatedSince: one sequence, so tags only grow.
      `CREATE SEQUENCE notifications.wallet_update_tag`,
      `CREATE TABLE notifications.wallet_passes (
         pass_id uuid PRIMARY KEY,
         tenant_id uuid NOT NULL,
         event_id uuid,
         update_tag bigint NOT NULL DEFAULT nextval('notifications.wallet_update_tag'),
         push_due_at timestamptz,
         google_object_type text,
         google_object_id text,
         google_class_id text,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX wallet_passes_event ON notifications.wallet_passes (event_id) WHERE event_id IS NOT NULL`,
      `CREATE TABLE notifications.wallet_registrations (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         device_library_id text NOT NULL,
         pass_type_id text NOT NULL,
         pass_id uuid NOT NULL REFERENCES notifications.wallet_passes (pass_id) ON DELETE CASCADE,
         push_token text NOT NULL,
         pushed_tag bigint NOT NULL,
         push_lease_until timestamptz,
         push_attempts int NOT NULL DEFAULT 0,
         next_attempt_at timestamptz,
         last_push_error text,
         last_pushed_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (device_library_id, pass_type_id, pass_id)
       )`,
      `CREATE INDEX wallet_registrations_pass ON notifications.wallet_registrations (pass_id)`,
      // One PATCH of a Google Wallet object or class per change: the body is computed when the event is consumed.
      `CREATE TABLE notifications.wallet_google_syncs (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         source_event_id uuid NOT NULL,
         target_type text NOT NULL CHECK (target_type IN ('eventTicketObject', 'genericObject', 'eventTicketClass')),
         target_id text NOT NULL,
         body jsonb NOT NULL,
         status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done', 'superseded', 'failed')),
         attempts int NOT NULL DEFAULT 0,
         last_error text,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (source_event_id, target_id)
       )`,
      `CREATE INDEX wallet_google_syncs_target ON notifications.wallet_google_syncs (target_id, created_at)`,
      `CREATE INDEX wallet_google_syncs_queued ON notifications.wallet_google_syncs (updated_at) WHERE status = 'queued'`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'DROP TABLE IF EXISTS notifications.wallet_google_syncs, notifications.wallet_registrations, notifications.wallet_passes',
    );
    await runner.query('DROP SEQUENCE IF EXISTS notifications.wallet_update_tag');
  }
}
