import { CommandHandler, notFound, PublicCommand, PublicCommandHandler, RpcController, TenantCommand } from '@passway/common';
import { BrandingImagesService, ImageVariant } from './branding-images.service';

const VARIANTS: readonly ImageVariant[] = ['1x', '2x', '3x'];

@RpcController()
export class BrandingImagesRpcController {
  constructor(private readonly images: BrandingImagesService) {}

  @CommandHandler('PassesService', 'PutTemplateImage')
  putTemplateImage({ tenantId, id, input }: TenantCommand) {
    const { kind, data } = (input ?? {}) as { kind?: unknown; data?: unknown };
    return this.images.put(tenantId, 'template', id ?? '', kind, data);
  }

  @CommandHandler('PassesService', 'PutEventImage')
  putEventImage({ tenantId, id, input, eventIds }: TenantCommand) {
    const { kind, data } = (input ?? {}) as { kind?: unknown; data?: unknown };
    return this.images.put(tenantId, 'event', id ?? '', kind, data, eventIds);
  }

  /** No tenant: a stored logo or icon by its random id, for pages, emails and Google Wallet. */
  @PublicCommandHandler('PassesService', 'GetBrandingImage')
  async file({ input }: PublicCommand) {
    const { id, variant } = (input ?? {}) as { id?: unknown; variant?: unknown };
    const found = VARIANTS.find((known) => known === variant);
    const png = typeof id === 'string' && found ? await this.images.file(id, found) : null;
    if (!png) throw notFound('Image');
    return { png: png.toString('base64') };
  }
}
