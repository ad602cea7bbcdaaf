import { MigrationInterface, QueryRunner } from 'typeorm';

/** People: users, their memberships in organisations, sessions, one-time tokens, invitations, the audit log, suspension. */
export class Accounts1732800000000 implements MigrationInterface {
  name = 'Accounts1732800000000';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE gateway.tenants ADD COLUMN suspended_at timestamptz`,
      `CREATE TABLE gateway.users (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         email text NOT NULL UNIQUE CHECK (email = lower(email)),
         name text NOT NULL,
         password_hash text NOT NULL,
         email_verified_at timestamptz,
         is_operator boolean NOT NULL DEFAULT false,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE gateway.memberships (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL REFERENCES gateway.tenants(id) ON DELETE CASCADE,
         user_id uuid NOT NULL REFERENCES gateway.users(id) ON DELETE CASCADE,
         role text NOT NULL CHECK (role IN ('owner', 'admin', 'event_manager', 'door_staff')),
         event_ids uuid[],
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (tenant_id, user_id)
       )`,
      `CREATE INDEX memberships_user ON gateway.memberships (user_id)`,
      `CREATE TABLE gateway.sessions (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         token_hash bytea NOT NULL UNIQUE,
         user_id uuid NOT NULL REFERENCES gateway.users(id) ON DELETE CASCADE,
         tenant_id uuid REFERENCES gateway.tenants(id) ON DELETE SET NULL,
         csrf_token text NOT NULL,
         ip text,
         user_agent text,
         created_at timestamptz NOT NULL DEFAULT now(),
         expires_at timestamptz NOT NULL,
         revoked_at timestamptz
       )`,
      `CREATE INDEX sessions_user ON gateway.sessions (user_id)`,
      `CREATE TABLE gateway.user_tokens (
         token_hash bytea PRIMARY KEY,
         user_id uuid NOT NULL REFERENCES gateway.users(id) ON DELETE CASCADE,
         purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
         expires_at timestamptz NOT NULL,
         used_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE gateway.invitations (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL REFERENCES gateway.tenants(id) ON DELETE CASCADE,
         email text NOT NULL CHECK (email = lower(email)),
         role text NOT NULL CHECK (role IN ('owner', 'admin', 'event_manager', 'door_staff')),
         event_ids uuid[],
         token_hash bytea NOT NULL UNIQUE,
         invited_by uuid REFERENCES gateway.users(id) ON DELETE SET NULL,
         expires_at timestamptz NOT NULL,
         accepted_at timestamptz,
         accepted_by uuid REFERENCES gateway.users(id) ON DELETE SET NULL,
         revoked_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX invitations_tenant ON gateway.invitations (tenant_id, created_at DESC)`,
      `CREATE TABLE gateway.audit_log (
         id bigserial PRIMARY KEY,
         tenant_id uuid NOT NULL,
         occurred_at timestamptz NOT NULL DEFAULT now(),
         actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'operator', 'system')),
         actor_id text,
         actor_label text,
         action text NOT NULL,
         resource_type text NOT NULL,
         resource_id text,
         ip text,
         request_id text,
         details jsonb
       )`,
      `CREATE INDEX audit_log_tenant ON gateway.audit_log (tenant_id, id DESC)`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'DROP TABLE IF EXISTS gateway.audit_log, gateway.invitations, gateway.user_tokens, gateway.sessions, gateway.memberships, gateway.users',
    );
    await runner.query('ALTER TABLE gateway.tenants DROP COLUMN IF EXISTS suspended_at');
  }
}
