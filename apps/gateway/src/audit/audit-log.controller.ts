import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { PageQueryDto, pageWindow, setListHeaders } from '@passway/common';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Access, ADMINS } from '../auth/route-access';
import { API_PREFIX } from '../config';
import { AuditEntry, AuditLogService } from './audit-log.service';

export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'A user id, key id, or an actor type (user, api_key, operator)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actor?: string;

  @ApiPropertyOptional({
    description: 'A resource type (passes, events, api-keys, members, webhooks, session, organization…) or a resource id',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  resource?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only entries at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since?: string;
}

class AuditActorDto {
  @ApiProperty({ enum: ['user', 'api_key', 'operator', 'system'] }) type: string;
  @ApiProperty({ type: String, nullable: true }) id: string | null;
  @ApiProperty({ type: String, nullable: true }) label: string | null;
}

export class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty({ example: 'passes.revoke' }) action: string;
  @ApiProperty({ example: 'passes' }) resourceType: string;
  @ApiProperty({ type: String, nullable: true }) resourceId: string | null;
  @ApiProperty({ type: String, nullable: true }) ip: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId: string | null;
  @ApiProperty({ type: Object, nullable: true }) details: Record<string, unknown> | null;
}

@ApiTags('audit-log')
@ApiBearerAuth()
@Access({ roles: ADMINS, rateGroup: 'manage', tenantWide: true })
@Controller(`${API_PREFIX}/audit-log`)
export class AuditLogController {
  constructor(private readonly audit: AuditLogService) {}

  @Get()
  @ApiOkResponse({ type: [AuditEntryDto], description: 'Newest first; X-Total-Count and Link headers' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AuditLogQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuditEntry[]> {
    const { page, limit, offset } = pageWindow(query);
    const { entries, total } = await this.audit.list(principal.tenant.id, {
      actor: query.actor,
      resource: query.resource,
      since: query.since ? new Date(query.since) : undefined,
      limit,
      offset,
    });
    setListHeaders(req, res, total, page, limit);
    return entries;
  }
}
