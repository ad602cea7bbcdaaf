import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTablesSql } from '@passway/common';

export class InitialSchema1732440000000 implements MigrationInterface {
  name = 'InitialSchema1732440000000';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      // One row per pass: its scan rules as the passes service last published them, plus the
      // live usage counter, which only this service advances (see docs/scans.md).
      `CREATE TABLE scans.admissions (
         pass_id uuid PRIMARY KEY,
         tenant_id uuid NOT NULL,
         code text NOT NULL UNIQUE,
         name text,
         type text NOT NULL CHECK (type IN ('single', 'multi')),
         status text NOT NULL CHECK (status IN ('active', 'used', 'revoked')),
         valid_from timestamptz,
         valid_until timestamptz,
         max_usages int CHECK (max_usages IS NULL OR max_usages > 0),
         usages_count int NOT NULL DEFAULT 0 CHECK (usages_count >= 0),
         source_updated_at timestamptz NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now()
       ) WITH (fillfactor = 70)`, // room on each page: a redemption's update stays HOT (no index writes)
      `CREATE TABLE scans.scans (
         id uuid PRIMARY KEY,
         tenant_id uuid NOT NULL,
         pass_id uuid NOT NULL,
         code text NOT NULL,
         result text NOT NULL CHECK (result IN ('success', 'revoked', 'already_used', 'not_yet_valid', 'expired', 'max_usages_reached')),
         success boolean NOT NULL,
         method text NOT NULL CHECK (method IN ('online', 'offline')),
         nonce text,
         api_key_id uuid,
         usages_count int NOT NULL,
         pass_status text NOT NULL,
         scanned_at timestamptz NOT NULL,
         recorded_at timestamptz NOT NULL DEFAULT now()
       )`,
      // Offline scans' nonces only: online scans (no nonce) pay for no entry here.
      `CREATE UNIQUE INDEX scans_tenant_nonce ON scans.scans (tenant_id, nonce) WHERE nonce IS NOT NULL`,
      `CREATE INDEX scans_tenant_scanned ON scans.scans (tenant_id, scanned_at DESC, id DESC)`,
      `CREATE INDEX scans_pass_scanned ON scans.scans (pass_id, scanned_at DESC, id DESC)`,
      ...outboxTablesSql('scans'),
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS scans.outbox, scans.processed_events, scans.scans, scans.admissions');
    await runner.query('DROP FUNCTION IF EXISTS scans.notify_outbox()');
  }
}
