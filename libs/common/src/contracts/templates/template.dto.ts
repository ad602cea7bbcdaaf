import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';

const COLOR = /^#[0-9a-fA-F]{6}$/;
const COLOR_MESSAGE = 'must be a hex colour like #1a2b3c';

export class CreateTemplateDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ example: '#1a2b3c' })
  @IsOptional()
  @Matches(COLOR, { message: `primaryColor ${COLOR_MESSAGE}` })
  primaryColor?: string;

  @ApiPropertyOptional({ example: '#ffffff' })
  @IsOptional()
  @Matches(COLOR, { message: `backgroundColor ${COLOR_MESSAGE}` })
  backgroundColor?: string;

  @ApiPropertyOptional({ example: '#000000' })
  @IsOptional()
  @Matches(COLOR, { message: `textColor ${COLOR_MESSAGE}` })
  textColor?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'https URL' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'logoUrl must be an https URL' })
  @MaxLength(2000)
  logoUrl?: string;
}

export class UpdateTemplateDto extends CreateTemplateDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  declare name: string;
}

export interface TemplateView {
  id: string;
  name: string;
  description: string | null;
  primaryColor: string | null;
  backgroundColor: string | null;
  textColor: string | null;
  logoUrl: string | null;
  createdAt: string;
  updatedAt: string;
}
