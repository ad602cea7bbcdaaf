import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The version of the scans service's usage counter this pass's `usages_count` reflects (an admission's
 * undo makes the counter go down, so "higher count wins" no longer orders its copies). Before any
 * undo the version equals the count.
 */
export class TallyVersion1797000000000 implements MigrationInterface {
  name = 'TallyVersion1797000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE passes.passes ADD COLUMN tally_version bigint NOT NULL DEFAULT 0');
    await runner.query('UPDATE passes.passes SET tally_version = usages_count WHERE usages_count <> 0');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE passes.passes DROP COLUMN tally_version');
  }
}
