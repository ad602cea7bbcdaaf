import { Inject, Injectable } from '@nestjs/common';
import {
  appendToOutbox,
  BrandingImageKind,
  BrandingImageOwner,
  BrandingImageView,
  EventScope,
  inScope,
  invalidArgument,
  isUuid,
  notFound,
} from '@passway/common';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { EntityManager } from 'typeorm';
import { PASSES_CONFIG, PassesConfig } from '../config';
import { PASSES_SCHEMA } from '../database/passes-database';
import { EventsRepository } from '../events/events.repository';
import { updatedEvent } from '../events/events.service';
import { toEventView } from '../events/event-view';
import { TemplatesRepository } from '../templates/templates.repository';
import { appendTemplateUpdated, lockTemplate } from '../templates/templates.service';
import { BrandingImagesRepository } from './branding-images.repository';

export const MAX_IMAGE_BYTES = 1024 * 1024;
/** Decoded size limit: far above any logo, far below what would tie up the service's memory (sharp's own default is 268 MP). */
export const MAX_IMAGE_PIXELS = 25_000_000;

/** Apple's sizes in points (the 2x and 3x files are twice and three times as many pixels); Google and the pages take the logo's 3x. */
const SIZES: Record<BrandingImageKind, { width: number; height: number; fit: 'cover' | 'inside' }> = {
  icon: { width: 29, height: 29, fit: 'cover' },
  logo: { width: 160, height: 50, fit: 'inside' },
};

export type ImageVariant = '1x' | '2x' | '3x';

/** The logo and icon of a template or event, as the wallets want them. */
export interface BrandingImageSet {
  icon: Record<ImageVariant, Buffer> | null;
  logo: Record<ImageVariant, Buffer> | null;
}

/**
 * Uploaded logos and icons: checked by decoding them (PNG or JPEG, at most 1 MB), resized once
 * with sharp to Apple's 1x/2x/3x sizes, stored here. A logo becomes its owner's `logoUrl` (served
 * publicly by the gateway under `/images/<id>.png`), so the pass page, the emails and Google Wallet
 * show it; both images go into Apple Wallet passes. An event's new image is an `event.updated`
 * (branding), a template's a `template.updated`, so that the wallet passes wearing it are pushed.
 */
@Injectable()
export class BrandingImagesService {
  constructor(
    private readonly images: BrandingImagesRepository,
    private readonly templates: TemplatesRepository,
    private readonly events: EventsRepository,
    @Inject(PASSES_CONFIG) private readonly config: PassesConfig,
  ) {}

  async put(
    tenantId: string,
    owner: BrandingImageOwner,
    ownerId: string,
    kind: unknown,
    base64: unknown,
    scope?: EventScope,
  ): Promise<BrandingImageView> {
    if (kind !== 'logo' && kind !== 'icon') throw invalidArgument('the image is "logo" or "icon"', 'invalid_image_kind');
    const what = owner === 'template' ? 'Template' : 'Event';
    if (!isUuid(ownerId)) throw notFound(what);
    if (typeof base64 !== 'string' || base64.length === 0) throw invalidArgument('the request body is the image file', 'image_missing');
    const file = Buffer.from(base64, 'base64');
    if (file.length > MAX_IMAGE_BYTES) throw invalidArgument('the image is larger than 1 MB', 'image_too_large');
    const variants = await resized(file, kind);
    const id = randomUUID();
    const url = `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}/images/${id}.png`;
    await this.images.transaction(async (manager) => {
      await this.lockOwner(manager, tenantId, owner, ownerId, scope, kind === 'logo' ? url : undefined);
      await this.images.put(manager, { id, tenantId, owner, ownerId, kind, variants });
    });
    const meta = await sharp(variants['1x']).metadata();
    return { kind, url, width: meta.width ?? 0, height: meta.height ?? 0 };
  }

  /** One stored file by its id (random, unguessable, and a logo is public anyway); null when there is none. */
  async file(id: string, variant: ImageVariant): Promise<Buffer | null> {
    if (!isUuid(id)) return null;
    return this.images.file(id, variant);
  }

  /** The images a pass wears: its template's, else its event's, kind by kind. */
  async forPass(tenantId: string, templateId: string | null, eventId: string | null): Promise<BrandingImageSet> {
    const owners = [templateId && ['template', templateId], eventId && ['event', eventId]].filter(Boolean) as [string, string][];
    const set: BrandingImageSet = { icon: null, logo: null };
    if (owners.length === 0) return set;
    const rows = await this.images.forOwners(tenantId, templateId, eventId);
    for (const kind of ['icon', 'logo'] as const) {
      const row = rows.find((r) => r.kind === kind && r.owner_type === 'template') ?? rows.find((r) => r.kind === kind);
      if (row) set[kind] = { '1x': row.png_1x, '2x': row.png_2x, '3x': row.png_3x };
    }
    return set;
  }

  private async lockOwner(
    manager: EntityManager,
    tenantId: string,
    owner: BrandingImageOwner,
    ownerId: string,
    scope: EventScope,
    logoUrl: string | undefined,
  ): Promise<void> {
    if (owner === 'template') {
      const template = await lockTemplate(this.templates, manager, tenantId, ownerId);
      if (logoUrl) template.logoUrl = logoUrl;
      template.updatedAt = new Date();
      await this.templates.save(manager, template);
      await appendTemplateUpdated(manager, tenantId, template, logoUrl ? ['logo', 'logoUrl'] : ['icon']);
      return;
    }
    const event = await this.events.lock(manager, tenantId, ownerId);
    if (!event || !inScope(scope, event.id)) throw notFound('Event');
    if (logoUrl) event.branding = { ...event.branding, logoUrl };
    event.updatedAt = new Date();
    const view = toEventView(await this.events.save(manager, event));
    await appendToOutbox(manager, PASSES_SCHEMA, event.id, updatedEvent(view, ['branding'], view.status));
  }
}

/** Decodes the upload (which is the check that it is the PNG or JPEG it claims to be) and makes the three PNGs. */
async function resized(file: Buffer, kind: BrandingImageKind): Promise<Record<ImageVariant, Buffer>> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(file).metadata();
  } catch {
    throw invalidArgument('the file is not an image', 'image_invalid');
  }
  if (meta.format !== 'png' && meta.format !== 'jpeg') throw invalidArgument('the image must be a PNG or a JPEG', 'image_invalid');
  // A small file can declare a huge canvas (a PNG of one colour compresses ~1000:1): refuse it before decoding.
  if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_IMAGE_PIXELS) {
    throw invalidArgument(`the image is larger than ${MAX_IMAGE_PIXELS / 1_000_000} megapixels`, 'image_too_large');
  }
  const { width, height, fit } = SIZES[kind];
  try {
    const [x1, x2, x3] = await Promise.all(
      [1, 2, 3].map((scale) =>
        sharp(file, { limitInputPixels: MAX_IMAGE_PIXELS })
          .rotate()
          .resize({ width: width * scale, height: height * scale, fit, withoutEnlargement: false })
          .png()
          .toBuffer(),
      ),
    );
    return { '1x': x1, '2x': x2, '3x': x3 };
  } catch {
    throw invalidArgument('the image cannot be decoded', 'image_invalid');
  }
}
