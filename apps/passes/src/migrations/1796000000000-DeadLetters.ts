import { MigrationInterface, QueryRunner } from 'typeorm';
import { createDeadLetters, dropDeadLetters } from '@passway/common';

/** Durable dead-lettering: poison events are kept in passes.dead_letters and can be replayed. */
export class DeadLetters1796000000000 implements MigrationInterface {
  name = 'DeadLetters1796000000000';

  async up(runner: QueryRunner): Promise<void> {
    await createDeadLetters(runner, 'passes');
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropDeadLetters(runner, 'passes');
  }
}
