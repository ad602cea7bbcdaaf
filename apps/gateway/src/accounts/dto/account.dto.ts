import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { MEMBER_ROLES, MemberRole } from '../../team/member-roles';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

class PasswordField {
  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, format: 'password' })
  @IsString()
  @MinLength(PASSWORD_MIN, { message: `password must be at least ${PASSWORD_MIN} characters` })
  @MaxLength(PASSWORD_MAX, { message: `password must be at most ${PASSWORD_MAX} characters` })
  password: string;
}

export class EmailDto {
  @ApiProperty({ format: 'email', maxLength: 320, example: 'ada@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email: string;
}

export class SignUpDto extends PasswordField {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Ada Lovelace' })
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @ApiProperty({ format: 'email', maxLength: 320, example: 'ada@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, description: 'Defaults to "<name>\'s organisation"' })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'organizationName must not be empty' })
  @MaxLength(200)
  organizationName?: string;
}

export class LoginDto {
  @ApiProperty({ format: 'email', maxLength: 320 })
  @IsString()
  @MaxLength(320)
  email: string;

  @ApiProperty({ format: 'password', maxLength: PASSWORD_MAX })
  @IsString()
  @MaxLength(PASSWORD_MAX)
  password: string;
}

export class TokenDto {
  @ApiProperty({ description: 'The one-time token from the emailed link' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token is not a valid link token' })
  token: string;
}

export class ResetPasswordDto extends PasswordField {
  @ApiProperty({ description: 'The one-time token from the emailed link' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token is not a valid link token' })
  token: string;
}

export class SwitchOrganizationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'organizationId must be an organisation id' })
  organizationId: string;
}

export class AcceptedDto {
  @ApiProperty({ example: 'accepted' }) status: string;
  @ApiProperty() message: string;
}

export class SessionUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'A platform operator (sees every organisation)' }) isOperator: boolean;
}

export class SessionOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty({ enum: ['free', 'basic', 'pro'] }) plan: string;
  @ApiProperty() suspended: boolean;
}

export class MembershipSummaryDto {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() organizationName: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role: MemberRole;
}

export class SessionDto {
  @ApiProperty({ type: SessionUserDto }) user: SessionUserDto;
  @ApiProperty({ type: SessionOrganizationDto, nullable: true, description: 'The organisation the session acts in' })
  organization: SessionOrganizationDto | null;
  @ApiProperty({ enum: MEMBER_ROLES, nullable: true }) role: MemberRole | null;
  @ApiProperty({ type: [String], nullable: true, description: 'Events an event manager or door staff member is limited to; null = all' })
  eventIds: string[] | null;
  @ApiProperty({ type: [MembershipSummaryDto] }) memberships: MembershipSummaryDto[];
  @ApiProperty({ description: 'Send it back in X-CSRF-Token on every write (also in the pw_csrf cookie)' }) csrfToken: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}
