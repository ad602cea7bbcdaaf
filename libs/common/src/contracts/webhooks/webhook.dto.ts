import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min } from 'class-validator';
import { SUBSCRIBABLE_EVENT_TYPES, SubscribableEventType } from '../../events/event-types';
import { PageQueryDto } from '../shared/pagination.dto';
import { IsIso8601DateTime } from '../shared/validators';

const EVENT_LIST = SUBSCRIBABLE_EVENT_TYPES.join(', ');

export class CreateWebhookDto {
  @ApiProperty({ enum: SUBSCRIBABLE_EVENT_TYPES, example: 'pass.scanned' })
  @IsIn(SUBSCRIBABLE_EVENT_TYPES, { message: `event must be one of: ${EVENT_LIST}` })
  event: SubscribableEventType;

  @ApiProperty({ format: 'uri', maxLength: 2048, example: 'https://example.com/hook', description: 'HTTPS URL on a public address' })
  /** Syntax only here; https and the address rules are the webhooks service's (they depend on its settings). */
  @IsString()
  @MaxLength(2048)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true },
    { message: 'targetUrl must be an absolute http(s) URL' },
  )
  targetUrl: string;
}

export const DEFAULT_TRIGGER_LIMIT = 50;
export const MAX_TRIGGER_LIMIT = 100;

export class TriggersQueryDto {
  @ApiProperty({ enum: SUBSCRIBABLE_EVENT_TYPES })
  @IsIn(SUBSCRIBABLE_EVENT_TYPES, { message: `event must be one of: ${EVENT_LIST}` })
  event: SubscribableEventType;

  @ApiPropertyOptional({ format: 'date-time', description: 'Items after this time (default: the last 24 hours)' })
  @IsOptional()
  @IsIso8601DateTime()
  since?: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: MAX_TRIGGER_LIMIT, default: DEFAULT_TRIGGER_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_TRIGGER_LIMIT)
  limit?: number;
}

export class ListDeliveriesQueryDto extends PageQueryDto {}

/** RetryDelivery's input: the command's `id` names the webhook, this the delivery. */
export class RetryDeliveryDto {
  @IsString()
  @MaxLength(100)
  deliveryId: string;
}
