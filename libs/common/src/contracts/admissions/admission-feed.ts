import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export const DEFAULT_ADMISSION_PAGE_SIZE = 2_000;
export const MAX_ADMISSION_PAGE_SIZE = 5_000;

/** `GET /events/:id/admissions?since=&limit=`: one page of the changes after a cursor (none: everything). */
export class AdmissionFeedQueryDto {
  @ApiPropertyOptional({ type: String, description: 'The `nextCursor` of the previous page; omit for a full download' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'since must be a cursor this endpoint returned' })
  since?: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: MAX_ADMISSION_PAGE_SIZE, default: DEFAULT_ADMISSION_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_ADMISSION_PAGE_SIZE)
  limit?: number;
}

/** What a door device keeps of one pass to decide offline (no raw code: a lost phone mints nothing). */
export class AdmissionFeedItemDto {
  @ApiProperty({ format: 'uuid' }) passId: string;
  @ApiProperty({ description: 'base64url SHA-256 of the upper-cased pass code' }) codeHash: string;
  @ApiProperty({ type: String, nullable: true, description: 'The pass name' }) name: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The holder's name" }) holderName: string | null;
  @ApiProperty({ enum: ['single', 'multi'] }) type: 'single' | 'multi';
  @ApiProperty({ enum: ['active', 'used', 'revoked'], description: 'Stored status (expiry is derived from validUntil)' }) status:
    'active' | 'used' | 'revoked';
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) validFrom: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) validUntil: string | null;
  @ApiProperty({ type: Number, nullable: true }) maxUsages: number | null;
  @ApiProperty() usagesCount: number;
}

export class AdmissionFeedPageDto {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) eventStatus: 'active' | 'suspended';
  @ApiProperty({ type: [AdmissionFeedItemDto] }) items: AdmissionFeedItemDto[];
  @ApiProperty({ description: 'Pass it as `since` next: for the next page while hasMore, else for the next delta' }) nextCursor: string;
  @ApiProperty({ description: 'More changes are waiting: ask again at once with nextCursor' }) hasMore: boolean;
  @ApiProperty({ format: 'date-time', description: "The server's clock, so a device can measure its own skew" }) serverTime: string;
}

export type AdmissionFeedItem = AdmissionFeedItemDto;
export type AdmissionFeedPage = AdmissionFeedPageDto;
