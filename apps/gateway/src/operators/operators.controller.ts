import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { SessionRow } from '../accounts/accounts.repository';
import { AuthenticatedRequest, CurrentSession, OperatorRoute } from '../auth/principal';
import { API_PREFIX } from '../config';
import { Plan, PLANS } from '../tenants/entities/tenant.entity';
import { OperatorOrganization, OperatorsService } from './operators.service';

export class OperatorOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty({ enum: PLANS }) plan: Plan;
  @ApiProperty({ type: Number, nullable: true, description: 'null = unlimited' }) tokenBalance: number | null;
  @ApiProperty() tokensUsed: number;
  @ApiProperty() members: number;
  @ApiProperty() suspended: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) suspendedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class OrganizationSearchDto {
  @ApiPropertyOptional({ description: 'Part of the name or slug' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

export class ChangePlanDto {
  @ApiProperty({ enum: PLANS })
  @IsIn(PLANS, { message: `plan must be one of ${PLANS.join(', ')}` })
  plan: Plan;
}

export class TopUpDto {
  @ApiProperty({ minimum: 1, maximum: 1_000_000_000 })
  @IsInt({ message: 'tokens must be a whole number' })
  @Min(1)
  @Max(1_000_000_000)
  tokens: number;
}

/** Platform operators: a session of a user promoted with `npm run cli -- users promote --email …`. */
@ApiTags('operator')
@ApiCookieAuth()
@OperatorRoute()
@Controller(`${API_PREFIX}/operator/organizations`)
export class OperatorsController {
  constructor(private readonly operators: OperatorsService) {}

  @Get()
  @ApiOkResponse({ type: [OperatorOrganizationDto], description: 'Every organisation, newest first (up to 500)' })
  list(@Query() query: OrganizationSearchDto): Promise<OperatorOrganization[]> {
    return this.operators.list(query.search);
  }

  @Get(':organizationId')
  @ApiOkResponse({ type: OperatorOrganizationDto })
  get(@Param('organizationId') id: string): Promise<OperatorOrganization> {
    return this.operators.get(id);
  }

  @Patch(':organizationId')
  @ApiOkResponse({ type: OperatorOrganizationDto, description: 'Plan changed' })
  changePlan(
    @CurrentSession() session: SessionRow,
    @Param('organizationId') id: string,
    @Body() body: ChangePlanDto,
    @Req() request: AuthenticatedRequest,
  ) {
    return this.operators.changePlan(session, id, body.plan, request.ip);
  }

  @Post(':organizationId/topup')
  @HttpCode(200)
  @ApiOkResponse({ type: OperatorOrganizationDto, description: 'Tokens added, recorded in the ledger' })
  topUp(
    @CurrentSession() session: SessionRow,
    @Param('organizationId') id: string,
    @Body() body: TopUpDto,
    @Req() request: AuthenticatedRequest,
  ) {
    return this.operators.topUp(session, id, body.tokens, request.ip);
  }

  @Post(':organizationId/suspend')
  @HttpCode(200)
  @ApiOkResponse({
    type: OperatorOrganizationDto,
    description: "Suspended: the organisation's keys and sessions get 403 organization_suspended",
  })
  suspend(@CurrentSession() session: SessionRow, @Param('organizationId') id: string, @Req() request: AuthenticatedRequest) {
    return this.operators.setSuspended(session, id, true, request.ip);
  }

  @Post(':organizationId/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: OperatorOrganizationDto })
  resume(@CurrentSession() session: SessionRow, @Param('organizationId') id: string, @Req() request: AuthenticatedRequest) {
    return this.operators.setSuspended(session, id, false, request.ip);
  }
}
