import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** `PATCH /organization`: what an admin may change about their organisation (plan and tokens are Passway's). */
export class UpdateOrganizationDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Acme Events' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name: string;
}
