import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from './entities/api-key.entity';

export class CreateApiKeyDto {
  @ApiProperty({
    enum: ROLES,
    description: 'admin: everything; staff: passes, clients, templates, locations, scans, triggers; scanner: scan, validate, read a pass',
  })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;

  @ApiPropertyOptional({ maxLength: 200, example: 'door scanner 3' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Scope the key to these events: it sees and scans only their passes',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'events must be event ids' })
  events?: string[];
}

export class ApiKeySummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ description: 'The first characters of the key, to tell keys apart', example: 'pwk_Ab12Cd' }) prefix: string;
  @ApiProperty({ type: [String], nullable: true, description: 'Events the key is scoped to; null = every event' }) eventIds:
    string[] | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class IssuedApiKeyDto extends ApiKeySummaryDto {
  @ApiProperty({ description: 'The key itself: shown once, never again', example: 'pwk_...' }) apiKey: string;
}
