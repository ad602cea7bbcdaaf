import { MigrationInterface, QueryRunner } from 'typeorm';

/** The start of each attempt's response body, for the console's delivery log. */
export class AttemptResponses1797000000001 implements MigrationInterface {
  name = 'AttemptResponses1797000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE webhooks.delivery_attempts ADD COLUMN response_excerpt text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE webhooks.delivery_attempts DROP COLUMN response_excerpt');
  }
}
