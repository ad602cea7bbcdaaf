import { MigrationInterface, QueryRunner } from 'typeorm';

/** Uploaded logos and icons of templates and events, already resized to the wallets' sizes (1x, 2x, 3x PNG). */
export class BrandingImages1796200000000 implements MigrationInterface {
  name = 'BrandingImages1796200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE passes.branding_images (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      owner_type text NOT NULL CHECK (owner_type IN ('template', 'event')),
      owner_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('logo', 'icon')),
      png_1x bytea NOT NULL,
      png_2x bytea NOT NULL,
      png_3x bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (owner_type, owner_id, kind)
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE passes.branding_images');
  }
}
