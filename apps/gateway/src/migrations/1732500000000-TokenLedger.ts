import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every change of a tenant's token balance, one row each: who, what, when, and the balance after. */
export class TokenLedger1732500000000 implements MigrationInterface {
  name = 'TokenLedger1732500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE gateway.token_ledger (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES gateway.tenants (id) ON DELETE CASCADE,
      delta int NOT NULL,
      balance_after int,
      reason text NOT NULL CHECK (reason IN ('opening_balance', 'top_up', 'pass_issued', 'pass_refund')),
      pass_id uuid,
      actor text NOT NULL,
      request_id text,
      settled boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query('CREATE INDEX token_ledger_tenant ON gateway.token_ledger (tenant_id, created_at DESC)');
    await runner.query("CREATE UNIQUE INDEX token_ledger_pass_issue ON gateway.token_ledger (pass_id) WHERE reason = 'pass_issued'");
    await runner.query('CREATE INDEX token_ledger_unsettled ON gateway.token_ledger (created_at) WHERE NOT settled');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS gateway.token_ledger');
  }
}
