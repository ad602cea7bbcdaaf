import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emails to people with a console account (verify the address, reset the password, join a team).
 * `request_key` makes the gateway's command idempotent; the body (which holds a one-time link) is
 * erased once the email is out.
 */
export class AccountEmails1732800000000 implements MigrationInterface {
  name = 'AccountEmails1732800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE notifications.account_emails (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      request_key text NOT NULL UNIQUE,
      tenant_id uuid,
      kind text NOT NULL CHECK (kind IN ('verify_email', 'reset_password', 'invitation')),
      to_address text NOT NULL,
      subject text NOT NULL,
      html text,
      text text,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'logged')),
      attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      provider_message_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    )`);
    await runner.query(`CREATE INDEX account_emails_due ON notifications.account_emails (next_attempt_at) WHERE status = 'queued'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS notifications.account_emails');
  }
}
