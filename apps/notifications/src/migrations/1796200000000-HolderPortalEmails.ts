import { MigrationInterface, QueryRunner } from 'typeorm';

/** Account emails also carry the holder portal's one-time link. */
export class HolderPortalEmails1796200000000 implements MigrationInterface {
  name = 'HolderPortalEmails1796200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE notifications.account_emails DROP CONSTRAINT IF EXISTS account_emails_kind_check`);
    await runner.query(
      `ALTER TABLE notifications.account_emails ADD CONSTRAINT account_emails_kind_check
         CHECK (kind IN ('verify_email', 'reset_password', 'invitation', 'holder_portal'))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM notifications.account_emails WHERE kind = 'holder_portal'`);
    await runner.query(`ALTER TABLE notifications.account_emails DROP CONSTRAINT IF EXISTS account_emails_kind_check`);
    await runner.query(
      `ALTER TABLE notifications.account_emails ADD CONSTRAINT account_emails_kind_check
         CHECK (kind IN ('verify_email', 'reset_password', 'invitation'))`,
    );
  }
}
