import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTablesSql } from '@passway/common';

export class InitialSchema1732440000000 implements MigrationInterface {
  name = 'InitialSchema1732440000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of outboxTablesSql('scans')) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS scans.outbox, scans.processed_events');
    await runner.query('DROP FUNCTION IF EXISTS scans.notify_outbox()');
  }
}
