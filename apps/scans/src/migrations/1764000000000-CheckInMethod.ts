import { MigrationInterface, QueryRunner } from 'typeorm';

/** `method` becomes the check-in method (qr_scan, manual, self_service); online/offline is the scan's `channel`. */
export class CheckInMethod1764000000000 implements MigrationInterface {
  name = 'CheckInMethod1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE scans.scans RENAME COLUMN method TO channel');
    await runner.query('ALTER TABLE scans.scans RENAME CONSTRAINT scans_method_check TO scans_channel_check');
    await runner.query(`ALTER TABLE scans.scans ADD COLUMN method text NOT NULL DEFAULT 'qr_scan'
                          CONSTRAINT scans_method_check CHECK (method IN ('qr_scan', 'manual', 'self_service'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE scans.scans DROP COLUMN method');
    await runner.query('ALTER TABLE scans.scans RENAME CONSTRAINT scans_channel_check TO scans_method_check');
    await runner.query('ALTER TABLE scans.scans RENAME COLUMN channel TO method');
  }
}
