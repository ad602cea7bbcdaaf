import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsHexColor, IsLogoUrl } from '../shared/branding';

/** The barcode a wallet pass carries: QR by default. */
export const BARCODE_FORMATS = ['qr', 'pdf417', 'aztec', 'code128'] as const;
export type BarcodeFormat = (typeof BARCODE_FORMATS)[number];

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
  @IsHexColor('primaryColor')
  primaryColor?: string;

  @ApiPropertyOptional({ example: '#ffffff' })
  @IsOptional()
  @IsHexColor('backgroundColor')
  backgroundColor?: string;

  @ApiPropertyOptional({ example: '#000000' })
  @IsOptional()
  @IsHexColor('textColor')
  textColor?: string;

  @ApiPropertyOptional({ format: 'uri', description: 'https URL' })
  @IsOptional()
  @IsLogoUrl()
  logoUrl?: string;

  @ApiPropertyOptional({ enum: BARCODE_FORMATS, default: 'qr', description: 'The barcode of Apple and Google Wallet passes' })
  @IsOptional()
  @IsIn(BARCODE_FORMATS, { message: `barcodeFormat must be one of ${BARCODE_FORMATS.join(', ')}` })
  barcodeFormat?: BarcodeFormat;
}

/** Every field of CreateTemplateDto, each optional. */
export class UpdateTemplateDto extends PartialType(CreateTemplateDto) {}

export interface TemplateView {
  id: string;
  name: string;
  description: string | null;
  primaryColor: string | null;
  backgroundColor: string | null;
  textColor: string | null;
  logoUrl: string | null;
  barcodeFormat: BarcodeFormat;
  createdAt: string;
  updatedAt: string;
}
