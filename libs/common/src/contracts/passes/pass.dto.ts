import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PHONE_MESSAGE, PHONE_PATTERN } from '../clients/client.dto';
import { IsIso8601DateTime, IsNotBefore } from '../shared/validators';
import { SearchPageQueryDto } from '../shared/pagination.dto';
import { PASS_STATUSES, PASS_TYPES, PassStatus, PassType } from './pass.view';

export const MAX_USAGES_LIMIT = 1_000_000;

export class CustomFieldDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Full Name' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  key: string;

  @ApiProperty({ maxLength: 1000, example: 'John Doe' })
  @IsString()
  @MaxLength(1000)
  value: string;

  @ApiPropertyOptional({ default: false, description: 'Shown on the public pass page' })
  @IsOptional()
  @IsBoolean()
  isPublic?: boolean;
}

export class CreatePassDto {
  @ApiProperty({ enum: PASS_TYPES })
  @IsIn(PASS_TYPES, { message: 'type must be "single" or "multi"' })
  type: PassType;

  @ApiPropertyOptional({ maxLength: 200, example: 'VIP Guest' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Internal note (not shown on the public page)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Attach a client by name, creating it if needed' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  clientName?: string;

  /** With clientName: the client is the one with exactly this name, email and phone (created if none). */
  @ApiPropertyOptional({
    format: 'email',
    description: 'With clientName: the client with exactly this name, email and phone (created if none)',
  })
  @IsOptional()
  @IsEmail({}, { message: 'clientEmail must be an email address' })
  @MaxLength(320)
  clientEmail?: string;

  @ApiPropertyOptional({ description: 'With clientName: the client phone' })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: `clientPhone ${PHONE_MESSAGE}` })
  clientPhone?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Attach an existing client' })
  @IsOptional()
  @IsUUID('all', { message: 'clientId must be a client id' })
  clientId?: string;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: MAX_USAGES_LIMIT,
    description: 'Max scans for multi passes (null = unlimited)',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt({ message: 'maxUsages must be a whole number or null' })
  @Min(1)
  @Max(MAX_USAGES_LIMIT)
  maxUsages?: number | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'ISO 8601 date, e.g. 2025-06-01T00:00:00Z' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIso8601DateTime()
  validFrom?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'ISO 8601 date, e.g. 2025-06-01T00:00:00Z' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIso8601DateTime()
  @IsNotBefore('validFrom', { message: 'validUntil must not be before validFrom' })
  validUntil?: string | null;

  @ApiPropertyOptional({ type: () => [CustomFieldDto], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CustomFieldDto)
  customFields?: CustomFieldDto[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  templateId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  locationId?: string;

  /** The event this pass admits to; its attendeeFields are checked against the holder (docs/events.md). */
  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'The event this pass admits to (its attendee fields are checked)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  eventId?: string;
}

export const UPDATABLE_PASS_STATUSES = ['active', 'revoked'] as const;

export class UpdatePassDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(200)
  name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(2000)
  note?: string | null;

  @ApiPropertyOptional({ enum: UPDATABLE_PASS_STATUSES })
  @IsOptional()
  @IsIn(UPDATABLE_PASS_STATUSES, { message: 'status must be "active" or "revoked"' })
  status?: (typeof UPDATABLE_PASS_STATUSES)[number];

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: MAX_USAGES_LIMIT })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt({ message: 'maxUsages must be a whole number or null' })
  @Min(1)
  @Max(MAX_USAGES_LIMIT)
  maxUsages?: number | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'ISO 8601 date, e.g. 2025-06-01T00:00:00Z' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIso8601DateTime()
  validFrom?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'ISO 8601 date, e.g. 2025-06-01T00:00:00Z' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIso8601DateTime()
  @IsNotBefore('validFrom', { message: 'validUntil must not be before validFrom' })
  validUntil?: string | null;

  @ApiPropertyOptional({ type: () => [CustomFieldDto], maxItems: 50, description: 'Replaces all existing fields' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CustomFieldDto)
  customFields?: CustomFieldDto[];
}

export class ListPassesQueryDto extends SearchPageQueryDto {
  @ApiPropertyOptional({ enum: PASS_STATUSES })
  @IsOptional()
  @IsIn(PASS_STATUSES, { message: 'status must be one of active, used, expired, revoked' })
  status?: PassStatus;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: "Only this event's passes (its attendees)" })
  @IsOptional()
  @IsUUID('all', { message: 'eventId must be an event id' })
  eventId?: string;
}
