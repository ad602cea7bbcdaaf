import { MigrationInterface, QueryRunner } from 'typeorm';

/** The template a wallet pass wears, so that a change to the template updates (and pushes) its passes. */
export class WalletPassTemplates1797100000000 implements MigrationInterface {
  name = 'WalletPassTemplates1797100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE notifications.wallet_passes ADD COLUMN template_id uuid');
    await runner.query('CREATE INDEX wallet_passes_template ON notifications.wallet_passes (template_id) WHERE template_id IS NOT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX notifications.wallet_passes_template');
    await runner.query('ALTER TABLE notifications.wallet_passes DROP COLUMN template_id');
  }
}
