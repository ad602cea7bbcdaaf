import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { BrandingDto } from '../shared/branding';
import { SearchPageQueryDto } from '../shared/pagination.dto';
import { IsIso8601DateTime, IsNotBefore } from '../shared/validators';
import { EVENT_STATUSES, EventStatus } from './event.view';

/** Lower-case words joined by single hyphens: `summer-fest-2026`. */
export const EVENT_SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const EVENT_SLUG_MAX_LENGTH = 80;
export const ATTENDEE_FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,49}$/;
export const MAX_ATTENDEE_FIELDS = 30;

export class AttendeeFieldDto {
  @ApiProperty({ type: String })
  @IsString()
  @Matches(ATTENDEE_FIELD_KEY_PATTERN, { message: 'key must be lower-case letters, digits and _ (starting with a letter, at most 50)' })
  key: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  label?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @IsBoolean({ message: 'required must be true or false' })
  required?: boolean;
}

/** May be absent, but not null: for fields that always have a value. */
const IsOptionalNotNull = () => ValidateIf((_, value) => value !== undefined);

const IsEventSlug = (): PropertyDecorator => (target, property) => {
  IsString()(target, property);
  MaxLength(EVENT_SLUG_MAX_LENGTH)(target, property);
  Matches(EVENT_SLUG_PATTERN, {
    message: 'slug must be lower-case letters and digits in words joined by single hyphens (e.g. summer-fest-2026)',
  })(target, property);
};

/** What creating and updating an event share: every field here is optional on both. */
class EventDetailsDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsIso8601DateTime()
  @IsNotBefore('startsAt', { message: 'endsAt must not be before startsAt' })
  endsAt?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(300)
  venue?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Europe/Berlin',
    description: "IANA time zone the event's date and time are shown in (UTC when absent)",
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as Europe/Berlin' })
  timezone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(100)
  category?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(5000)
  details?: string | null;

  @ApiPropertyOptional({
    type: () => [AttendeeFieldDto],
    description: 'Holder fields to collect: name always; email, phone and custom keys, each optionally required',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MAX_ATTENDEE_FIELDS)
  @ValidateNested({ each: true })
  @Type(() => AttendeeFieldDto)
  attendeeFields?: AttendeeFieldDto[];

  @ApiPropertyOptional({ type: () => BrandingDto })
  @IsOptionalNotNull()
  @IsObject({ message: 'branding must be an object' })
  @ValidateNested()
  @Type(() => BrandingDto)
  branding?: BrandingDto;
}

export class CreateEventDto extends EventDetailsDto {
  @ApiProperty({ type: String })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /** Generated from the name when absent. */
  @ApiPropertyOptional({ type: String, example: 'summer-fest-2026', description: 'Generated from the name when absent; unique per tenant' })
  @IsOptionalNotNull()
  @IsEventSlug()
  slug?: string;

  @ApiProperty({ type: String, format: 'date-time' })
  @IsIso8601DateTime()
  startsAt: string;
}

/** Every field optional; `branding` replaces only the keys it names (null clears one); status changes via suspend/resume. */
export class UpdateEventDto extends EventDetailsDto {
  @ApiPropertyOptional({ type: String })
  @IsOptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: String, example: 'summer-fest-2026', description: 'Generated from the name when absent; unique per tenant' })
  @IsOptionalNotNull()
  @IsEventSlug()
  slug?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptionalNotNull()
  @IsIso8601DateTime()
  startsAt?: string;
}

export class ListEventsQueryDto extends SearchPageQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @IsOptional()
  @IsIn(EVENT_STATUSES, { message: 'status must be active or suspended' })
  status?: EventStatus;
}

/** `search` matches the holder's name or email, the pass name or the pass code. */
export class ListAttendeesQueryDto extends SearchPageQueryDto {}
