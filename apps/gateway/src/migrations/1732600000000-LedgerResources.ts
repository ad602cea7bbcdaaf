import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tokens pay for events as well as passes: the ledger names what a token bought. */
export class LedgerResources1732600000000 implements MigrationInterface {
  name = 'LedgerResources1732600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE gateway.token_ledger RENAME COLUMN pass_id TO resource_id');
    await runner.query(`ALTER TABLE gateway.token_ledger ADD COLUMN resource_type text
      CHECK (resource_type IN ('pass', 'event'))`);
    await runner.query(`UPDATE gateway.token_ledger SET resource_type = 'pass' WHERE resource_id IS NOT NULL`);
    await runner.query('ALTER TABLE gateway.token_ledger DROP CONSTRAINT token_ledger_reason_check');
    await runner.query(`ALTER TABLE gateway.token_ledger ADD CONSTRAINT token_ledger_reason_check
      CHECK (reason IN ('opening_balance', 'top_up', 'pass_issued', 'pass_refund', 'event_created', 'event_refund'))`);
    await runner.query('DROP INDEX gateway.token_ledger_pass_issue');
    await runner.query(`CREATE UNIQUE INDEX token_ledger_spend ON gateway.token_ledger (resource_id)
      WHERE reason IN ('pass_issued', 'event_created')`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX gateway.token_ledger_spend');
    await runner.query(`DELETE FROM gateway.token_ledger WHERE reason IN ('event_created', 'event_refund')`);
    await runner.query('ALTER TABLE gateway.token_ledger DROP CONSTRAINT token_ledger_reason_check');
    await runner.query(`ALTER TABLE gateway.token_ledger ADD CONSTRAINT token_ledger_reason_check
      CHECK (reason IN ('opening_balance', 'top_up', 'pass_issued', 'pass_refund'))`);
    await runner.query('ALTER TABLE gateway.token_ledger DROP COLUMN resource_type');
    await runner.query('ALTER TABLE gateway.token_ledger RENAME COLUMN resource_id TO pass_id');
    await runner.query(`CREATE UNIQUE INDEX token_ledger_pass_issue ON gateway.token_ledger (pass_id) WHERE reason = 'pass_issued'`);
  }
}
