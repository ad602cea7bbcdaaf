import { IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';

const COLOR = /^#[0-9a-fA-F]{6}$/;
const COLOR_MESSAGE = 'must be a hex colour like #1a2b3c';

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
  @Matches(COLOR, { message: `primaryColor ${COLOR_MESSAGE}` })
  primaryColor?: string;

  @IsOptional()
  @Matches(COLOR, { message: `backgroundColor ${COLOR_MESSAGE}` })
  backgroundColor?: string;

  @IsOptional()
  @Matches(COLOR, { message: `textColor ${COLOR_MESSAGE}` })
  textColor?: string;

  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'logoUrl must be an https URL' })
  @MaxLength(2000)
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
