import { Injectable } from '@nestjs/common';
import { BrandingImageKind, BrandingImageOwner, DatabaseRepository } from '@passway/common';
import { EntityManager } from 'typeorm';
import type { ImageVariant } from './branding-images.service';

export interface BrandingImageRow {
  owner_type: string;
  kind: BrandingImageKind;
  png_1x: Buffer;
  png_2x: Buffer;
  png_3x: Buffer;
}

/** The queries behind uploaded logos and icons (passes.branding_images). */
@Injectable()
export class BrandingImagesRepository extends DatabaseRepository {
  /** Stores the owner's image of that kind, replacing the one it had (under a new id). */
  async put(
    manager: EntityManager,
    image: {
      id: string;
      tenantId: string;
      owner: BrandingImageOwner;
      ownerId: string;
      kind: BrandingImageKind;
      variants: Record<ImageVariant, Buffer>;
    },
  ): Promise<void> {
    const { id, tenantId, owner, ownerId, kind, variants } = image;
    await manager.query(
      `INSERT INTO passes.branding_images (id, tenant_id, owner_type, owner_id, kind, png_1x, png_2x, png_3x)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (owner_type, owner_id, kind) DO UPDATE
         SET id = EXCLUDED.id, png_1x = EXCLUDED.png_1x, png_2x = EXCLUDED.png_2x, png_3x = EXCLUDED.png_3x, created_at = now()`,
      [id, tenantId, owner, ownerId, kind, variants['1x'], variants['2x'], variants['3x']],
    );
  }

  /** One stored file by its id; null when there is none. */
  async file(id: string, variant: ImageVariant): Promise<Buffer | null> {
    const column = { '1x': 'png_1x', '2x': 'png_2x', '3x': 'png_3x' }[variant];
    const rows = await this.dataSource.query<{ png: Buffer }[]>(`SELECT ${column} AS png FROM passes.branding_images WHERE id = $1`, [id]);
    return rows[0]?.png ?? null;
  }

  /** The images of a template and of an event (either may be null) of the tenant. */
  forOwners(tenantId: string, templateId: string | null, eventId: string | null): Promise<BrandingImageRow[]> {
    return this.dataSource.query<BrandingImageRow[]>(
      `SELECT owner_type, kind, png_1x, png_2x, png_3x FROM passes.branding_images
        WHERE tenant_id = $1 AND ((owner_type = 'template' AND owner_id = $2) OR (owner_type = 'event' AND owner_id = $3))`,
      [tenantId, templateId, eventId],
    );
  }
}
