import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsHexColor, IsLogoUrl } from '../shared/branding';

export class CreateTemplateDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @IsOptional()
  @IsHexColor('primaryColor')
  primaryColor?: string;

  @IsOptional()
  @IsHexColor('backgroundColor')
  backgroundColor?: string;

  @IsOptional()
  @IsHexColor('textColor')
  textColor?: string;

  @IsOptional()
  @IsLogoUrl()
  logoUrl?: string;
}

export class UpdateTemplateDto extends CreateTemplateDto {
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
