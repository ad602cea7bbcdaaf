import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min,
  MinLength, ValidateIf, ValidateNested,
} from 'class-validator';
import { PHONE_MESSAGE, PHONE_PATTERN } from '../clients/client.dto';
import { IsIso8601DateTime, IsNotBefore } from '../shared/validators';
import { SearchPageQueryDto } from '../shared/pagination.dto';
import { PASS_STATUSES, PASS_TYPES, PassStatus, PassType } from './pass.view';

export const MAX_USAGES_LIMIT = 1_000_000;

export class CustomFieldDto {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  key: string;

  @IsString()
  @MaxLength(1000)
  value: string;

  @IsOptional()
  @IsBoolean()
  isPublic?: boolean;
}

export class CreatePassDto {
  @IsIn(PASS_TYPES, { message: 'type must be "single" or "multi"' })
  type: PassType;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  clientName?: string;

  /** With clientName: the client is the one with exactly this name, email and phone (created if none). */
  @IsOptional()
  @IsEmail({}, { message: 'clientEmail must be an email address' })
  @MaxLength(320)
  clientEmail?: string;

  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: `clientPhone ${PHONE_MESSAGE}` })
  clientPhone?: string;

  @IsOptional()
  @IsUUID('all', { message: 'clientId must be a client id' })
  clientId?: string;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt({ message: 'maxUsages must be a whole number or null' })
  @Min(1)
  @Max(MAX_USAGES_LIMIT)
  maxUsages?: number | null;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIso8601DateTime()
  validFrom?: string | null;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIso8601DateTime()
  @IsNotBefore('validFrom', { message: 'validUntil must not be before validFrom' })
  validUntil?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CustomFieldDto)
  customFields?: CustomFieldDto[];

  @IsOptional()
  @IsString()
  @MaxLength(64)
  templateId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  locationId?: string;

  /** The event this pass admits to; its attendeeFields are checked against the holder (docs/events.md). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  eventId?: string;
}

export const UPDATABLE_PASS_STATUSES = ['active', 'revoked'] as const;

export class UpdatePassDto {
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(200)
  name?: string | null;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(2000)
  note?: string | null;

  @IsOptional()
  @IsIn(UPDATABLE_PASS_STATUSES, { message: 'status must be "active" or "revoked"' })
  status?: (typeof UPDATABLE_PASS_STATUSES)[number];

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt({ message: 'maxUsages must be a whole number or null' })
  @Min(1)
  @Max(MAX_USAGES_LIMIT)
  maxUsages?: number | null;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIso8601DateTime()
  validFrom?: string | null;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIso8601DateTime()
  @IsNotBefore('validFrom', { message: 'validUntil must not be before validFrom' })
  validUntil?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CustomFieldDto)
  customFields?: CustomFieldDto[];
}

export class ListPassesQueryDto extends SearchPageQueryDto {
  @IsOptional()
  @IsIn(PASS_STATUSES, { message: 'status must be one of active, used, expired, revoked' })
  status?: PassStatus;

  @IsOptional()
  @IsUUID('all', { message: 'eventId must be an event id' })
  eventId?: string;
}
