import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Undoing an admission (docs/door.md): the counter may now go down, so it carries a version.
 * `tally_version` goes up by one at every change of `usages_count` (a redemption or an undo), so
 * a copy of the counter (the passes service's, or a pass event's) is older exactly when its
 * version is lower. Before any undo the version equals the count, which is what it starts at.
 * A scan row remembers its undo: when, why, and by which key.
 */
export class AdmissionUndo1797000000000 implements MigrationInterface {
  name = 'AdmissionUndo1797000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE scans.admissions ADD COLUMN tally_version bigint NOT NULL DEFAULT 0');
    await runner.query('UPDATE scans.admissions SET tally_version = usages_count WHERE usages_count <> 0');
    await runner.query('ALTER TABLE scans.scans ADD COLUMN undone_at timestamptz');
    await runner.query('ALTER TABLE scans.scans ADD COLUMN undo_reason text');
    await runner.query('ALTER TABLE scans.scans ADD COLUMN undone_by_api_key_id uuid');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE scans.scans DROP COLUMN undone_by_api_key_id');
    await runner.query('ALTER TABLE scans.scans DROP COLUMN undo_reason');
    await runner.query('ALTER TABLE scans.scans DROP COLUMN undone_at');
    await runner.query('ALTER TABLE scans.admissions DROP COLUMN tally_version');
  }
}
