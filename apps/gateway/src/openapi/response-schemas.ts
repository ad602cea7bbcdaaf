import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PASS_STATUSES, PASS_TYPES } from '@passway/common';
import { PLANS } from '../tenants/entities/tenant.entity';

/** Response shapes of the REST contract for the OpenAPI document (the presenters in libs/common produce them). */

export class ErrorDto {
  @ApiProperty({ example: 'Pass not found' }) error: string;
  @ApiPropertyOptional({ example: 'not_found' }) code?: string;
  @ApiPropertyOptional({
    description: 'Per-field problems for validation errors, or other detail of the error',
    anyOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object' }],
  })
  details?: unknown;
}

export class SuccessDto {
  @ApiProperty({ example: true }) success: boolean;
}

export class PassFieldDto {
  @ApiProperty() key: string;
  @ApiProperty() value: string;
  @ApiProperty() isPublic: boolean;
}

class ClientRefDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
}

class PassClientDto extends ClientRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
}

export class PassCreatedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'AbCd1234EfGh5678' }) code: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ enum: PASS_TYPES }) type: string;
  @ApiProperty({ enum: PASS_STATUSES }) status: string;
  @ApiProperty({ type: Number, nullable: true }) maxUsages: number | null;
  @ApiProperty() usagesCount: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) validFrom: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) validUntil: string | null;
  @ApiProperty({ format: 'uri' }) publicUrl: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PassListItemDto extends PassCreatedDto {
  @ApiProperty({ type: ClientRefDto, nullable: true }) client: ClientRefDto | null;
}

export class PassDetailDto extends PassCreatedDto {
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: [PassFieldDto] }) fields: PassFieldDto[];
  @ApiProperty({ type: PassClientDto, nullable: true }) client: PassClientDto | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) templateId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) locationId: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class PassStatusChangeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ enum: PASS_STATUSES }) status: string;
}

export class ClientDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class TemplateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: String, nullable: true }) primaryColor: string | null;
  @ApiProperty({ type: String, nullable: true }) backgroundColor: string | null;
  @ApiProperty({ type: String, nullable: true }) textColor: string | null;
  @ApiProperty({ type: String, nullable: true }) logoUrl: string | null;
  @ApiProperty({ enum: ['qr', 'pdf417', 'aztec', 'code128'] }) barcodeFormat: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/** An uploaded logo or icon (`PUT /templates/:id/images/:kind`, `PUT /events/:id/images/:kind`). */
export class BrandingImageDto {
  @ApiProperty({ enum: ['logo', 'icon'] }) kind: string;
  @ApiProperty({ description: 'Public URL of the 1x PNG; `@2x.png` and `@3x.png` beside it are the larger sizes' }) url: string;
  @ApiProperty({ description: 'Width of the 1x PNG in pixels' }) width: number;
  @ApiProperty({ description: 'Height of the 1x PNG in pixels' }) height: number;
}

export class LocationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) address: string | null;
  @ApiProperty({ type: String, nullable: true }) timezone: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class RateLimitDto {
  @ApiProperty({ description: 'Requests per window, per API key' }) limit: number;
  @ApiProperty({ example: 60 }) windowSeconds: number;
}

class RateLimitsDto {
  @ApiProperty({ type: RateLimitDto, description: '/passes, /clients, /scan and the other pass-management routes' }) manage: RateLimitDto;
  @ApiProperty({ type: RateLimitDto, description: '/webhooks and /triggers' }) integrations: RateLimitDto;
}

class LimitsDto {
  @ApiProperty({ type: RateLimitsDto }) rateLimits: RateLimitsDto;
  @ApiProperty({ example: 25 }) webhookQuota: number;
}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty({ enum: PLANS }) plan: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Tokens left; null = unlimited. Each pass issued uses one.' }) tokenBalance:
    number | null;
  @ApiProperty() tokensUsed: number;
  @ApiProperty({ type: LimitsDto }) limits: LimitsDto;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
