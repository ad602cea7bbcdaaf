import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthenticatedRequest, CurrentPrincipal, Principal, RequestId } from '../auth/principal';
import { Access, MANAGERS } from '../auth/route-access';
import { API_PREFIX, GATEWAY_CONFIG, GatewayConfig } from '../config';
import { PassesClient } from '../rpc/service-clients.module';
import { LiveMessage, LiveScanFeed } from './live-scan-feed';
import { parseCursor } from './scan-cursor';

/**
 * Server-Sent Events of one event's scans (and undone admissions), for the live check-in dashboard. Every message's `id`
 * is a cursor; a reconnect sends it back (`Last-Event-ID`, or `?lastEventId=` for a new
 * EventSource) and gets every scan it missed, from this or any other gateway, before live ones.
 * `event: reset` means the gap is too old to replay: refetch the snapshot (stats, last scans).
 */
@ApiTags('events')
@Access({ roles: MANAGERS, rateGroup: 'manage' })
@Controller(`${API_PREFIX}/events`)
export class LiveController {
  constructor(
    private readonly passes: PassesClient,
    private readonly feed: LiveScanFeed,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get(':eventId/live')
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'lastEventId', required: false, description: 'The id of the last message received (what Last-Event-ID carries)' })
  @ApiOkResponse({
    description:
      'text/event-stream: `event: ready` (id = the starting cursor), then `event: scan` per scan (data: the pass.scanned payload) and `event: undo` per admission taken back (data: the pass.admission_undone payload), `event: reset` when the gap cannot be replayed, and `: ping` comments',
  })
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Param('eventId') eventId: string,
    @Query('lastEventId') lastEventIdQuery: unknown,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @RequestId() requestId?: string,
  ): Promise<void> {
    const event = await this.passes.call('GetEvent', { tenantId: principal.tenant.id, id: eventId }, requestId);
    const header = request.headers['last-event-id'];
    const from = parseCursor(typeof header === 'string' ? header : typeof lastEventIdQuery === 'string' ? lastEventIdQuery : undefined);

    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write(`retry: ${this.config.LIVE_RETRY_MS}\n\n`);

    let closed = false;
    const write = (text: string) => {
      if (!closed) response.write(text);
    };
    const sendMessage = ({ cursor, kind, data }: LiveMessage) => write(`id: ${cursor}\nevent: ${kind}\ndata: ${JSON.stringify(data)}\n\n`);
    const subscription = await this.feed.subscribe(principal.tenant.id, event.id, from, sendMessage);
    const heartbeat = setInterval(() => write(': ping\n\n'), this.config.LIVE_HEARTBEAT_MS);
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      subscription.unsubscribe();
      forgetOnShutdown();
      response.end();
    };
    const forgetOnShutdown = this.feed.onShutdown(close);
    request.on('close', close);
    if (subscription.status === 'reset') {
      write(`id: ${subscription.cursor}\nevent: reset\ndata: {}\n\n`);
      return;
    }
    for (const scan of subscription.replayed) sendMessage(scan);
    write(`id: ${subscription.cursor}\nevent: ready\ndata: ${JSON.stringify({ replayed: subscription.replayed.length })}\n\n`);
  }
}
