import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The door app's admissions feed: each row remembers the transaction that last changed it
 * (`change_xid`, set by a trigger on every insert and update, so no statement can forget it),
 * and the holder's name for the result screen.
 */
export class AdmissionChanges1766130000000 implements MigrationInterface {
  name = 'AdmissionChanges1766130000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE scans.admissions ADD COLUMN holder_name text');
    await runner.query('ALTER TABLE scans.admissions ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id()');
    await runner.query(`CREATE FUNCTION scans.stamp_admission_change() RETURNS trigger LANGUAGE plpgsql AS $$
                          BEGIN NEW.change_xid := pg_current_xact_id(); RETURN NEW; END $$`);
    await runner.query(`CREATE TRIGGER admissions_change_xid BEFORE INSERT OR UPDATE ON scans.admissions
                          FOR EACH ROW EXECUTE FUNCTION scans.stamp_admission_change()`);
    await runner.query(
      'CREATE INDEX admissions_event_changes ON scans.admissions (event_id, change_xid, pass_id) WHERE event_id IS NOT NULL',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX IF EXISTS scans.admissions_event_changes');
    await runner.query('DROP TRIGGER IF EXISTS admissions_change_xid ON scans.admissions');
    await runner.query('DROP FUNCTION IF EXISTS scans.stamp_admission_change()');
    await runner.query('ALTER TABLE scans.admissions DROP COLUMN change_xid');
    await runner.query('ALTER TABLE scans.admissions DROP COLUMN holder_name');
  }
}
