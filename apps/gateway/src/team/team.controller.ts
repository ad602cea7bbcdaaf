import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { requestContext } from '../accounts/auth.controller';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AccountsService } from '../accounts/accounts.service';
import { SessionDto } from '../accounts/dto/account.dto';
import { hashSecret, looksLikeSecret } from '../accounts/one-time-token';
import { setSessionCookies } from '../accounts/session-cookies';
import { AuthenticatedRequest, CurrentPrincipal, Principal, Public } from '../auth/principal';
import { Access, ADMINS } from '../auth/route-access';
import { API_PREFIX, GATEWAY_CONFIG, GatewayConfig } from '../config';
import { SuccessDto } from '../openapi/response-schemas';
import { AcceptInvitationDto, CreateInvitationDto, InvitationDto, InvitationPreviewDto, MemberDto, UpdateMemberDto } from './dto/team.dto';
import { TeamService } from './team.service';
import { ApiErrorResponse } from '../openapi/api-error-response';

@ApiTags('team')
@ApiBearerAuth()
@Access({ roles: ADMINS, rateGroup: 'manage', tenantWide: true })
@Controller(`${API_PREFIX}/members`)
export class MembersController {
  constructor(private readonly team: TeamService) {}

  @Get()
  @ApiOkResponse({ type: [MemberDto], description: 'Everyone in the organisation with their role' })
  list(@CurrentPrincipal() principal: Principal): Promise<MemberDto[]> {
    return this.team.members(principal.tenant.id);
  }

  @Patch(':memberId')
  @ApiOkResponse({
    type: MemberDto,
    description: 'Role changed (409 last_owner for the last owner; 403 owner_required unless an owner grants or changes the owner role)',
  })
  update(@CurrentPrincipal() principal: Principal, @Param('memberId') memberId: string, @Body() body: UpdateMemberDto): Promise<MemberDto> {
    return this.team.updateMember(principal, memberId, body);
  }

  @Delete(':memberId')
  @ApiOkResponse({ type: MemberDto, description: 'Removed from the organisation (409 last_owner for the last owner)' })
  remove(@CurrentPrincipal() principal: Principal, @Param('memberId') memberId: string): Promise<MemberDto> {
    return this.team.removeMember(principal, memberId);
  }
}

@ApiTags('team')
@ApiBearerAuth()
@Access({ roles: ADMINS, rateGroup: 'manage', tenantWide: true })
@Controller(`${API_PREFIX}/invitations`)
export class InvitationsController {
  constructor(
    private readonly team: TeamService,
    private readonly accounts: AccountsService,
    private readonly repository: AccountsRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ApiOkResponse({ type: [InvitationDto], description: 'Pending invitations, newest first' })
  list(@CurrentPrincipal() principal: Principal): Promise<InvitationDto[]> {
    return this.team.invitations(principal.tenant.id);
  }

  @Post()
  @ApiCreatedResponse({ type: InvitationDto, description: 'Invited: an email with a link valid for 7 days is on its way' })
  invite(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateInvitationDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<InvitationDto> {
    return this.team.invite(principal, body, requestContext(request));
  }

  @Delete(':invitationId')
  @ApiOkResponse({ type: SuccessDto })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('invitationId') invitationId: string) {
    await this.team.revokeInvitation(principal, invitationId);
    return { success: true };
  }

  @Public()
  @Get('lookup')
  @ApiQuery({ name: 'token', required: true })
  @ApiOkResponse({ type: InvitationPreviewDto, description: 'What an invitation link offers' })
  @ApiErrorResponse(
    HttpStatus.GONE,
    'The invitation was used, withdrawn or has expired (invitation_used, invitation_revoked, invitation_expired)',
  )
  preview(@Query('token') token: unknown): Promise<InvitationPreviewDto> {
    if (!looksLikeSecret(token))
      throw new HttpException({ error: 'This invitation link is not valid', code: 'invitation_invalid' }, HttpStatus.NOT_FOUND);
    return this.team.preview(token);
  }

  @Public()
  @Post('accept')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto, description: 'Joined and signed in (session cookie set)' })
  @ApiErrorResponse(
    HttpStatus.GONE,
    'The invitation was used, withdrawn or has expired (invitation_used, invitation_revoked, invitation_expired)',
  )
  async accept(
    @Body() body: AcceptInvitationDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionDto> {
    const started = await this.team.accept(body, requestContext(request));
    setSessionCookies(response, started.token, started.csrfToken, {
      secure: this.config.NODE_ENV === 'production',
      maxAgeMs: started.expiresAt.getTime() - Date.now(),
    });
    return this.accounts.describe((await this.repository.findSession(hashSecret(started.token)))!);
  }
}
