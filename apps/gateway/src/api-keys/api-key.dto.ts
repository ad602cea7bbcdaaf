import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from './entities/api-key.entity';

export class CreateApiKeyDto {
  @ApiProperty({ enum: ROLES, description: 'admin: everything; staff: passes, clients, templates, locations, scans, triggers; scanner: scan, validate, read a pass' })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;

  @ApiPropertyOptional({ maxLength: 200, example: 'door scanner 3' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}

export class ApiKeySummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ description: 'The first characters of the key, to tell keys apart', example: 'pwk_Ab12Cd' }) prefix: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class IssuedApiKeyDto extends ApiKeySummaryDto {
  @ApiProperty({ description: 'The key itself: shown once, never again', example: 'pwk_...' }) apiKey: string;
}
