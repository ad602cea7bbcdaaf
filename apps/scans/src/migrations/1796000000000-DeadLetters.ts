import { MigrationInterface, QueryRunner } from 'typeorm';
import { createDeadLetters, dropDeadLetters } from '@passway/common';

/** Durable dead-lettering: poison events are kept in scans.dead_letters and can be replayed. */
export class DeadLetters1796000000000 implements MigrationInterface {
  name = 'DeadLetters1796000000000';

  async up(runner: QueryRunner): Promise<void> {
    await createDeadLetters(runner, 'scans');
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropDeadLetters(runner, 'scans');
  }
}
