import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SearchPageQueryDto } from '../shared/pagination.dto';

export const PHONE_PATTERN = /^\+?[0-9 ()./-]{3,32}$/;
export const PHONE_MESSAGE = 'must be a phone number (digits, spaces, + ( ) . / -)';

export class CreateClientDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'John Doe' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ format: 'email', maxLength: 320 })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ example: '+1234567890' })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: `phone ${PHONE_MESSAGE}` })
  phone?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class ListClientsQueryDto extends SearchPageQueryDto {}
