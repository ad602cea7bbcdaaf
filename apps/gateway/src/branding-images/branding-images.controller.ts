import { applyDecorators, Body, Controller, Get, HttpException, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiExcludeEndpoint, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { BrandingImageView, PutBrandingImageInput, UpstreamError } from '@passway/common';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Public, RequestId } from '../auth/principal';
import { Access, MANAGERS } from '../auth/route-access';
import { API_PREFIX } from '../config';
import { BrandingImageDto } from '../openapi/response-schemas';
import { PassesClient } from '../rpc/service-clients.module';

/** The raw upload (main.ts parses these bodies as bytes): PNG or JPEG, at most 1 MB; the passes service decodes and resizes it. */
function uploadOf(kind: string, body: unknown): PutBrandingImageInput {
  if (kind !== 'logo' && kind !== 'icon') {
    throw new HttpException({ error: 'the image is "logo" or "icon"', code: 'invalid_image_kind' }, 400);
  }
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new HttpException({ error: 'the request body must be the PNG or JPEG file itself', code: 'image_missing' }, 400);
  }
  return { kind, data: body.toString('base64') };
}

const IMAGE_BODY = { schema: { type: 'string', format: 'binary' }, description: 'The PNG or JPEG file (at most 1 MB)' };

/** The OpenAPI description both image uploads share: a PNG or JPEG body, answered with the stored image. */
const ApiImageUpload = () =>
  applyDecorators(
    ApiParam({ name: 'kind', enum: ['logo', 'icon'] }),
    ApiConsumes('image/png', 'image/jpeg'),
    ApiBody(IMAGE_BODY),
    ApiOkResponse({ type: BrandingImageDto, description: 'The stored image: its public URL and 1x size' }),
  );

@ApiTags('branding images')
@ApiBearerAuth()
@Access({ roles: MANAGERS, rateGroup: 'manage' })
@Controller(API_PREFIX)
export class BrandingImagesController {
  constructor(private readonly passes: PassesClient) {}

  /** A template's logo or icon: resized to the wallets' sizes, shown on its passes' pages, emails and wallets. */
  @Put('templates/:id/images/:kind')
  @ApiImageUpload()
  putTemplateImage(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('kind') kind: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ): Promise<BrandingImageView> {
    return this.passes.call('PutTemplateImage', { tenantId: principal.tenant.id, id, input: uploadOf(kind, body) }, requestId);
  }

  /** An event's logo or icon (worn by its passes that have no template image). */
  @Put('events/:id/images/:kind')
  @ApiImageUpload()
  putEventImage(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('kind') kind: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ): Promise<BrandingImageView> {
    return this.passes.call('PutEventImage', { tenantId: principal.tenant.id, id, input: uploadOf(kind, body) }, requestId);
  }
}

/** `/images/<id>.png` (and `@2x`, `@3x`): uploaded logos and icons, public like the pages and emails that show them. */
@Public()
@Controller('images')
export class PublicImagesController {
  constructor(private readonly passes: PassesClient) {}

  @Get(':file')
  @ApiExcludeEndpoint()
  async image(@Param('file') file: string, @Res() res: Response, @RequestId() requestId?: string) {
    const match = /^([0-9a-f-]{36})(?:@([23])x)?\.png$/.exec(file);
    if (!match) return res.status(404).json({ error: 'Image not found', code: 'not_found' });
    const variant = match[2] ? (`${match[2]}x` as '2x' | '3x') : '1x';
    try {
      const { png } = await this.passes.callWithoutTenant('GetBrandingImage', { input: { id: match[1], variant } }, requestId);
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'");
      res.status(200).type('image/png').send(Buffer.from(png, 'base64'));
    } catch (error) {
      if (error instanceof UpstreamError) return res.status(error.status).json(error.body);
      throw error;
    }
  }
}
