import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTablesSql } from '@passway/common';

export class InitialSchema1732440000000 implements MigrationInterface {
  name = 'InitialSchema1732440000000';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE passes.clients (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         name text NOT NULL,
         email text,
         phone text,
         notes text,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX clients_tenant_created ON passes.clients (tenant_id, created_at DESC)`,
      `CREATE INDEX clients_tenant_name ON passes.clients (tenant_id, lower(name))`,
      `CREATE TABLE passes.templates (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         name text NOT NULL,
         description text,
         primary_color text,
         background_color text,
         text_color text,
         logo_url text,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX templates_tenant ON passes.templates (tenant_id, created_at DESC)`,
      `CREATE TABLE passes.locations (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         name text NOT NULL,
         address text,
         timezone text,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX locations_tenant ON passes.locations (tenant_id, created_at DESC)`,
      `CREATE TABLE passes.passes (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         code text NOT NULL UNIQUE,
         name text,
         note text,
         type text NOT NULL CHECK (type IN ('single', 'multi')),
         status text NOT NULL CHECK (status IN ('active', 'used', 'revoked')),
         usages_count int NOT NULL DEFAULT 0 CHECK (usages_count >= 0),
         max_usages int CHECK (max_usages IS NULL OR max_usages > 0),
         valid_from timestamptz,
         valid_until timestamptz,
         custom_fields jsonb NOT NULL DEFAULT '[]'::jsonb,
         client_id uuid REFERENCES passes.clients (id) ON DELETE SET NULL,
         template_id uuid REFERENCES passes.templates (id) ON DELETE SET NULL,
         location_id uuid REFERENCES passes.locations (id) ON DELETE SET NULL,
         status_changed_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from <= valid_until)
       )`,
      `CREATE INDEX passes_tenant_created ON passes.passes (tenant_id, created_at DESC, id)`,
      `CREATE INDEX passes_tenant_status ON passes.passes (tenant_id, status)`,
      `CREATE INDEX passes_client ON passes.passes (client_id)`,
      ...outboxTablesSql('passes'),
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['outbox', 'processed_events', 'passes', 'locations', 'templates', 'clients']) {
      await runner.query(`DROP TABLE IF EXISTS passes.${table} CASCADE`);
    }
    await runner.query('DROP FUNCTION IF EXISTS passes.notify_outbox()');
  }
}
