import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  AdmissionFeedPageDto,
  AdmissionFeedQueryDto,
  CreateEventDto,
  EventPresenter,
  EventStatsView,
  ListAttendeesQueryDto,
  ListEventsQueryDto,
  setListHeaders,
  UpdateEventDto,
  UpstreamError,
} from '@passway/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal, RequestId } from '../auth/principal';
import { Access, EVERYONE, MANAGERS } from '../auth/route-access';
import { API_PREFIX } from '../config';
import { PassesClient, ScansClient } from '../rpc/service-clients.module';
import { IdempotencyKey, RerunAfterUnknownOutcome } from '../idempotency/idempotency-policy';
import { TokenSpender } from '../tokens/token-spender';

/** Events and their attendees; the passes service owns them. */
@Access({ roles: MANAGERS, rateGroup: 'manage' })
@Controller(`${API_PREFIX}/events`)
export class EventsController {
  constructor(
    private readonly passes: PassesClient,
    private readonly scans: ScansClient,
    private readonly tokens: TokenSpender,
  ) {}

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListEventsQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ) {
    const page = await this.passes.call('ListEvents', { tenantId: principal.tenant.id, input: query }, requestId);
    setListHeaders(req, res, page.total, page.page, page.limit);
    return page.items.map(EventPresenter.view);
  }

  /** Creating an event costs one token, like each attendee's pass. */
  @Post()
  @RerunAfterUnknownOutcome()
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateEventDto,
    @RequestId() requestId?: string,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return EventPresenter.view(await this.tokens.createEvent(principal, body, requestId, idempotencyKey));
  }

  @Get(':eventId')
  async get(@CurrentPrincipal() principal: Principal, @Param('eventId') id: string, @RequestId() requestId?: string) {
    return EventPresenter.view(await this.passes.call('GetEvent', { tenantId: principal.tenant.id, id }, requestId));
  }

  @Patch(':eventId')
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('eventId') id: string,
    @Body() body: UpdateEventDto,
    @RequestId() requestId?: string,
  ) {
    return EventPresenter.view(await this.passes.call('UpdateEvent', { tenantId: principal.tenant.id, id, input: body }, requestId));
  }

  @Post(':eventId/suspend')
  @HttpCode(200)
  async suspend(@CurrentPrincipal() principal: Principal, @Param('eventId') id: string, @RequestId() requestId?: string) {
    return EventPresenter.view(await this.passes.call('SuspendEvent', { tenantId: principal.tenant.id, id }, requestId));
  }

  @Post(':eventId/resume')
  @HttpCode(200)
  async resume(@CurrentPrincipal() principal: Principal, @Param('eventId') id: string, @RequestId() requestId?: string) {
    return EventPresenter.view(await this.passes.call('ResumeEvent', { tenantId: principal.tenant.id, id }, requestId));
  }

  /**
   * The door app's offline copy of the event's admissions: without `since` everything, page by
   * page; with the last `nextCursor`, only what changed since (docs/door.md).
   */
  @Access({ roles: EVERYONE, rateGroup: 'manage' })
  @Get(':eventId/admissions')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOkResponse({ type: AdmissionFeedPageDto })
  admissions(
    @CurrentPrincipal() principal: Principal,
    @Param('eventId') id: string,
    @Query() query: AdmissionFeedQueryDto,
    @RequestId() requestId?: string,
  ) {
    // Relayed as the scans service wrote it: a page is up to 5,000 admissions (megabytes of JSON).
    return this.scans.callForJson('ListAdmissions', { tenantId: principal.tenant.id, id, input: query }, requestId);
  }

  /** Manual check-in by search, for door staff without a camera: scanners may call it. */
  @Access({ roles: EVERYONE, rateGroup: 'manage' })
  @Get(':eventId/attendees')
  async attendees(
    @CurrentPrincipal() principal: Principal,
    @Param('eventId') id: string,
    @Query() query: ListAttendeesQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ) {
    const page = await this.passes.call('ListEventAttendees', { tenantId: principal.tenant.id, id, input: query }, requestId);
    setListHeaders(req, res, page.total, page.page, page.limit);
    return page.items;
  }

  @Get(':eventId/stats')
  async stats(
    @CurrentPrincipal() principal: Principal,
    @Param('eventId') id: string,
    @RequestId() requestId?: string,
  ): Promise<EventStatsView> {
    const command = { tenantId: principal.tenant.id, id };
    // The passes service answers first: it owns the event (404 for an unknown or out-of-scope one) and the attendee counts.
    const counts = await this.passes.call('GetEventStats', command, requestId);
    try {
      const scans = await this.scans.call('EventScanStats', command, requestId);
      return { ...counts, scansByResult: scans.scansByResult, byHour: scans.byHour, scansAvailable: true };
    } catch (error) {
      // Attendee counts are still worth showing at the door while the scans service is away.
      if (error instanceof UpstreamError && error.status >= 502) return { ...counts, scansByResult: {}, byHour: [], scansAvailable: false };
      throw error;
    }
  }
}
