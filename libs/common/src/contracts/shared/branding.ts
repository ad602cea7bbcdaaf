import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateIf } from 'class-validator';

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** A `#rrggbb` colour, as templates and event branding take it. */
export const IsHexColor = (field: string) => Matches(HEX_COLOR, { message: `${field} must be a hex colour like #1a2b3c` });

/** An https logo URL, as templates and event branding take it. */
export const IsLogoUrl = (): PropertyDecorator => (target, property) => {
  IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'logoUrl must be an https URL' })(target, property);
  MaxLength(2000)(target, property);
};

/** Branding of an event's public pages and emails: the same rules as a template's colours and logo. */
export class BrandingDto {
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @IsHexColor('primaryColor')
  primaryColor?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @IsHexColor('backgroundColor')
  backgroundColor?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @IsHexColor('textColor')
  textColor?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @IsLogoUrl()
  logoUrl?: string | null;
}

export interface BrandingView {
  primaryColor: string | null;
  backgroundColor: string | null;
  textColor: string | null;
  logoUrl: string | null;
}

export const BRANDING_KEYS = ['primaryColor', 'backgroundColor', 'textColor', 'logoUrl'] as const satisfies readonly (keyof BrandingView)[];
