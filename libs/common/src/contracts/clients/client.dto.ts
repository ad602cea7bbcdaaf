import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SearchPageQueryDto } from '../shared/pagination.dto';

export const PHONE_PATTERN = /^\+?[0-9 ()./-]{3,32}$/;
export const PHONE_MESSAGE = 'must be a phone number (digits, spaces, + ( ) . / -)';

export class CreateClientDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email?: string;

  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: `phone ${PHONE_MESSAGE}` })
  phone?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class ListClientsQueryDto extends SearchPageQueryDto {}
