import { MigrationInterface, QueryRunner } from 'typeorm';

/** Events and the link from a pass to the one event it admits to. */
export class Events1795000000000 implements MigrationInterface {
  name = 'Events1795000000000';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE passes.events (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         name text NOT NULL,
         slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
         starts_at timestamptz NOT NULL,
         ends_at timestamptz,
         venue text,
         category text,
         details text,
         attendee_fields jsonb NOT NULL DEFAULT '[]'::jsonb,
         branding jsonb NOT NULL DEFAULT '{}'::jsonb,
         status text NOT NULL CHECK (status IN ('active', 'suspended')),
         status_changed_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         CHECK (ends_at IS NULL OR ends_at >= starts_at),
         CONSTRAINT events_tenant_slug UNIQUE (tenant_id, slug),
         CONSTRAINT events_tenant_id UNIQUE (tenant_id, id)
       )`,
      `CREATE INDEX events_tenant_created ON passes.events (tenant_id, created_at DESC, id)`,
      `ALTER TABLE passes.passes ADD COLUMN event_id uuid`,
      // Composite key: a pass can only ever point at an event of its own tenant.
      `ALTER TABLE passes.passes ADD CONSTRAINT passes_event FOREIGN KEY (tenant_id, event_id)
         REFERENCES passes.events (tenant_id, id) ON DELETE RESTRICT`,
      `CREATE INDEX passes_event_created ON passes.passes (event_id, created_at DESC, id) WHERE event_id IS NOT NULL`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX IF EXISTS passes.passes_event_created');
    await runner.query('ALTER TABLE passes.passes DROP CONSTRAINT IF EXISTS passes_event');
    await runner.query('ALTER TABLE passes.passes DROP COLUMN IF EXISTS event_id');
    await runner.query('DROP TABLE IF EXISTS passes.events');
  }
}
