import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsIso8601DateTime } from '../shared/validators';
import { PageQueryDto } from '../shared/pagination.dto';
import { SCAN_RESULTS, ScanResult } from './scan.view';

export const MAX_SCAN_BATCH_SIZE = 500;

/** A scanner reads the code off a QR or a printed pass; surrounding whitespace is dropped, case is not significant. */
const normaliseCode = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

/** How a pass was checked in: scanned at the door, looked up by door staff, or by the holder on the self-service page. */
export const CHECK_IN_METHODS = ['qr_scan', 'manual', 'self_service'] as const;
export type CheckInMethod = (typeof CHECK_IN_METHODS)[number];
/** Methods an API key may claim; `self_service` is set only by the public check-in page. */
export const STAFF_CHECK_IN_METHODS = ['qr_scan', 'manual'] as const;

class PassCodeDto {
  @ApiProperty({ type: String })
  @Transform(normaliseCode)
  @IsString({ message: 'code must be a string' })
  @MinLength(1, { message: 'code must not be empty' })
  @MaxLength(64)
  code: string;
}

/** `POST /scan` and `POST /validate`: the pass code, and optionally how it was read. */
export class ScanDto extends PassCodeDto {
  @ApiPropertyOptional({ enum: ['qr_scan', 'manual'], description: 'How the code was read (default qr_scan)' })
  @IsOptional()
  @IsIn(STAFF_CHECK_IN_METHODS, { message: 'method must be "qr_scan" or "manual"' })
  method?: CheckInMethod;
}

/** What the gateway sends the scans service: the body plus who scanned and how. */
export class ScanCommandDto extends PassCodeDto {
  @ApiPropertyOptional({ enum: CHECK_IN_METHODS })
  @IsOptional()
  @IsIn(CHECK_IN_METHODS)
  method?: CheckInMethod;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  apiKeyId?: string;
}

/** One scan an offline scanner recorded; `nonce` is the scanner's own id for it, unique per tenant. */
export class OfflineScanDto extends ScanDto {
  @ApiProperty({ type: String, description: "The scanner's own id for this scan, unique per tenant (replays are no-ops)" })
  @IsString({ message: 'nonce must be a string' })
  @Matches(/^[\w.:-]{8,128}$/, { message: 'nonce must be 8 to 128 letters, digits, or . _ : -' })
  nonce: string;

  @ApiProperty({ type: String, format: 'date-time', description: "When the scanner recorded it (the scanner's clock)" })
  @IsIso8601DateTime()
  scannedAt: string;
}

export class ScanBatchDto {
  @ApiProperty({ type: () => [OfflineScanDto], maxItems: 500 })
  @IsArray({ message: 'items must be an array' })
  @ArrayMinSize(1, { message: 'items must not be empty' })
  @ArrayMaxSize(MAX_SCAN_BATCH_SIZE, { message: `items must hold at most ${MAX_SCAN_BATCH_SIZE} scans` })
  @ValidateNested({ each: true })
  @Type(() => OfflineScanDto)
  items: OfflineScanDto[];
}

export class ScanBatchCommandDto extends ScanBatchDto {
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  apiKeyId?: string;
}

export class ListScansQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsIso8601DateTime()
  since?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsIn(SCAN_RESULTS, { message: `result must be one of ${SCAN_RESULTS.join(', ')}` })
  result?: ScanResult;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: "Only scans of this event's passes" })
  @IsOptional()
  @IsUUID('all', { message: 'eventId must be an event id' })
  eventId?: string;
}

export class ListPassScansQueryDto extends PageQueryDto {}

/** `POST /scans/:scanId/undo`: why the admission is taken back (kept in the scan record and the audit log). */
export class UndoAdmissionDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 500, example: 'Scanned the wrong ticket' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'reason must be a string' })
  @MinLength(1, { message: 'reason must not be empty' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason: string;
}

/** What the gateway sends the scans service: the reason, and the key that asks. */
export class UndoAdmissionCommandDto extends UndoAdmissionDto {
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  apiKeyId?: string;

  /** A door scanner may take back only what its own key admitted. */
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @IsBoolean()
  ownAdmissionsOnly?: boolean;
}
