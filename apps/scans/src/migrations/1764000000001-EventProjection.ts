import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each admission's event, and the events' status as the passes service last published it. */
export class EventProjection1764000000001 implements MigrationInterface {
  name = 'EventProjection1764000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE scans.admissions ADD COLUMN event_id uuid');
    await runner.query('CREATE INDEX admissions_event ON scans.admissions (event_id) WHERE event_id IS NOT NULL');
    await runner.query(`CREATE TABLE scans.events (
                          id uuid PRIMARY KEY,
                          tenant_id uuid NOT NULL,
                          status text NOT NULL CHECK (status IN ('active', 'suspended')),
                          source_updated_at timestamptz NOT NULL
                        )`);
    await runner.query('ALTER TABLE scans.scans DROP CONSTRAINT scans_result_check');
    await runner.query(`ALTER TABLE scans.scans ADD CONSTRAINT scans_result_check CHECK (result IN
                          ('success', 'revoked', 'already_used', 'not_yet_valid', 'expired', 'max_usages_reached', 'event_suspended'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS scans.events');
    await runner.query('ALTER TABLE scans.admissions DROP COLUMN event_id');
  }
}
