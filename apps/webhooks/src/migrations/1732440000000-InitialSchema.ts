import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTablesSql } from '@passway/common';

export class InitialSchema1732440000000 implements MigrationInterface {
  name = 'InitialSchema1732440000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of outboxTablesSql('webhooks')) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS webhooks.outbox, webhooks.processed_events');
    await runner.query('DROP FUNCTION IF EXISTS webhooks.notify_outbox()');
  }
}
