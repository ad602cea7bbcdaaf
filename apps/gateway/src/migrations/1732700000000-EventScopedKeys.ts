import { MigrationInterface, QueryRunner } from 'typeorm';

/** Keys scoped to events: null = every event of the tenant. */
export class EventScopedKeys1732700000000 implements MigrationInterface {
  name = 'EventScopedKeys1732700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE gateway.api_keys ADD COLUMN event_ids uuid[]');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE gateway.api_keys DROP COLUMN event_ids');
  }
}
