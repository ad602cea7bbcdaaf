import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An event belongs to one tenant, which the planner cannot know: it multiplied the selectivities of
 * `event_id = …` and `tenant_id = …`, expected a fifth of an event's admissions, and read the whole
 * event and sorted it for each 5,000-row page of the door's feed (60-100 ms) instead of walking
 * admissions_event_changes in order and stopping (6-14 ms). The dependency statistic tells it.
 */
export class AdmissionEventTenantStatistics1797200000000 implements MigrationInterface {
  name = 'AdmissionEventTenantStatistics1797200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE STATISTICS scans.admissions_event_tenant (dependencies) ON event_id, tenant_id FROM scans.admissions');
    await runner.query('ANALYZE scans.admissions');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP STATISTICS scans.admissions_event_tenant');
  }
}
