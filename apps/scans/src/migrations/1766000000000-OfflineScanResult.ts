import { MigrationInterface, QueryRunner } from 'typeorm';

/** A scan refused because the projection was behind and the passes service could not confirm the pass. */
export class OfflineScanResult1766000000000 implements MigrationInterface {
  name = 'OfflineScanResult1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE scans.scans DROP CONSTRAINT scans_result_check');
    await runner.query(`ALTER TABLE scans.scans ADD CONSTRAINT scans_result_check CHECK (result IN
                          ('success', 'revoked', 'already_used', 'not_yet_valid', 'expired', 'max_usages_reached', 'event_suspended', 'offline'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM scans.scans WHERE result = 'offline'`);
    await runner.query('ALTER TABLE scans.scans DROP CONSTRAINT scans_result_check');
    await runner.query(`ALTER TABLE scans.scans ADD CONSTRAINT scans_result_check CHECK (result IN
                          ('success', 'revoked', 'already_used', 'not_yet_valid', 'expired', 'max_usages_reached', 'event_suspended'))`);
  }
}
