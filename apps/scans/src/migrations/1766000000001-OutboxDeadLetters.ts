import { outboxDeadLetterTableSql } from '@passway/common';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox rows Kafka will never take (too large, invalid topic) are set aside here, so the outbox keeps moving. */
export class OutboxDeadLetters1766000000001 implements MigrationInterface {
  name = 'OutboxDeadLetters1766000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(outboxDeadLetterTableSql('scans'));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS scans.outbox_dead_letters');
  }
}
