import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1732440000000 implements MigrationInterface {
  name = 'InitialSchema1732440000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE gateway.tenants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      slug text NOT NULL UNIQUE,
      plan text NOT NULL CHECK (plan IN ('free', 'basic', 'pro')),
      token_balance int CHECK (token_balance IS NULL OR token_balance >= 0),
      tokens_used int NOT NULL DEFAULT 0,
      rate_limit_per_minute int CHECK (rate_limit_per_minute IS NULL OR rate_limit_per_minute > 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE TABLE gateway.api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES gateway.tenants (id) ON DELETE CASCADE,
      name text,
      key_hash bytea NOT NULL UNIQUE,
      key_prefix text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin', 'staff', 'scanner')),
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`);
    await runner.query('CREATE INDEX api_keys_tenant ON gateway.api_keys (tenant_id, created_at DESC)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS gateway.api_keys');
    await runner.query('DROP TABLE IF EXISTS gateway.tenants');
  }
}
