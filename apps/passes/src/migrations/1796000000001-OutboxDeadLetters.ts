import { outboxDeadLetterTableSql } from '@passway/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox rows Kafka will never take (too large, invalid topic) are set aside here, so the outbox keeps moving. */
export class OutboxDeadLetters1796000000001 implements MigrationInterface {
  name = 'OutboxDeadLetters1796000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(outboxDeadLetterTableSql('passes'));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS passes.outbox_dead_letters');
  }
}
