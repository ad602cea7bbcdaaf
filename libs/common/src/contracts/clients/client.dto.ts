import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SearchPageQueryDto } from '../shared/pagination.dto';

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
  @Matches(/^\+?[0-9 ()./-]{3,32}$/, { message: 'phone must be a phone number (digits, spaces, + ( ) . / -)' })
  phone?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class ListClientsQueryDto extends SearchPageQueryDto {}
