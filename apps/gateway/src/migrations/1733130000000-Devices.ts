import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Door devices: a pairing link (its token stored hashed, valid 10 minutes, used once) that turns
 * into an event-scoped scanner key when a phone redeems it; last seen time and app version.
 */
export class Devices1733130000000 implements MigrationInterface {
  name = 'Devices1733130000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE gateway.devices (
                          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                          tenant_id uuid NOT NULL REFERENCES gateway.tenants (id) ON DELETE CASCADE,
                          name text NOT NULL,
                          event_ids uuid[] NOT NULL CHECK (cardinality(event_ids) > 0),
                          pairing_token_hash bytea NOT NULL UNIQUE,
                          pairing_expires_at timestamptz NOT NULL,
                          paired_at timestamptz,
                          api_key_id uuid UNIQUE REFERENCES gateway.api_keys (id),
                          created_by_key_id uuid,
                          last_seen_at timestamptz,
                          app_version text,
                          created_at timestamptz NOT NULL DEFAULT now(),
                          revoked_at timestamptz
                        )`);
    await runner.query('CREATE INDEX devices_tenant ON gateway.devices (tenant_id, created_at DESC)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS gateway.devices');
  }
}
