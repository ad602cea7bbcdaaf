import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A resource id may be reserved again once its earlier reservation was refunded: a retry with the
 * same Idempotency-Key derives the same id (docs/gateway-policies.md#idempotency). So a spend row
 * says whether it was refunded, and only one unrefunded spend row may exist per resource.
 */
export class RefundedReservations1732900000000 implements MigrationInterface {
  name = 'RefundedReservations1732900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE gateway.token_ledger ADD COLUMN refunded boolean NOT NULL DEFAULT false');
    await runner.query(`UPDATE gateway.token_ledger spend SET refunded = true
      WHERE spend.reason IN ('pass_issued', 'event_created')
        AND EXISTS (SELECT 1 FROM gateway.token_ledger r WHERE r.resource_id = spend.resource_id AND r.reason IN ('pass_refund', 'event_refund'))`);
    await runner.query('DROP INDEX gateway.token_ledger_spend');
    await runner.query(`CREATE UNIQUE INDEX token_ledger_spend ON gateway.token_ledger (resource_id)
      WHERE reason IN ('pass_issued', 'event_created') AND NOT refunded`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX gateway.token_ledger_spend');
    await runner.query(`DELETE FROM gateway.token_ledger WHERE refunded`);
    await runner.query('ALTER TABLE gateway.token_ledger DROP COLUMN refunded');
    await runner.query(`CREATE UNIQUE INDEX token_ledger_spend ON gateway.token_ledger (resource_id)
      WHERE reason IN ('pass_issued', 'event_created')`);
  }
}
