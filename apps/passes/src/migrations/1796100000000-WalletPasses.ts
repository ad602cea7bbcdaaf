import { MigrationInterface, QueryRunner } from 'typeorm';

/** Wallet passes: the barcode a template's passes carry in Apple and Google Wallet; the time zone an event is shown in. */
export class WalletPasses1796100000000 implements MigrationInterface {
  name = 'WalletPasses1796100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE passes.events ADD COLUMN timezone text');
    await runner.query(
      `ALTER TABLE passes.templates ADD COLUMN barcode_format text NOT NULL DEFAULT 'qr'
         CHECK (barcode_format IN ('qr', 'pdf417', 'aztec', 'code128'))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE passes.templates DROP COLUMN barcode_format');
    await runner.query('ALTER TABLE passes.events DROP COLUMN timezone');
  }
}
