import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../accounts/dto/account.dto';
import { MEMBER_ROLES, MemberRole } from '../member-roles';

const ROLE_HELP =
  'owner and admin: everything; event_manager: like a staff key, limited to `events`; door_staff: scanning only (like a scanner key), optionally limited to `events`';

class RoleAndEvents {
  @ApiProperty({ enum: MEMBER_ROLES, description: ROLE_HELP })
  @IsIn(MEMBER_ROLES, { message: `role must be one of ${MEMBER_ROLES.join(', ')}` })
  role: MemberRole;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'The events an event manager (required) or door staff member is limited to',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'events must be event ids' })
  events?: string[];
}

export class CreateInvitationDto extends RoleAndEvents {
  @ApiProperty({ format: 'email', maxLength: 320 })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email: string;
}

export class UpdateMemberDto extends RoleAndEvents {}

export class AcceptInvitationDto {
  @ApiProperty({ description: 'The token from the invitation link' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token is not a valid invitation token' })
  token: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Required when the invited address has no account yet' })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string;

  @ApiProperty({
    minLength: PASSWORD_MIN,
    maxLength: PASSWORD_MAX,
    format: 'password',
    description: "A new password, or the existing account's password",
  })
  @IsString()
  @MinLength(PASSWORD_MIN, { message: `password must be at least ${PASSWORD_MIN} characters` })
  @MaxLength(PASSWORD_MAX)
  password: string;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid', description: 'The membership id' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role: MemberRole;
  @ApiProperty({ type: [String], nullable: true }) eventIds: string[] | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role: MemberRole;
  @ApiProperty({ type: [String], nullable: true }) eventIds: string[] | null;
  @ApiProperty({ enum: ['pending', 'accepted', 'revoked', 'expired'] }) status: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class InvitationPreviewDto {
  @ApiProperty() organizationName: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role: MemberRole;
  @ApiProperty({ description: 'Whether the address already has an account (then only its password is asked)' }) hasAccount: boolean;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}
