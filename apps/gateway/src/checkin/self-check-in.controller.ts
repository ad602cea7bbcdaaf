import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, RequestId } from '../auth/principal';
import { HtmlPage } from '../holder/public-pass-page';
import { renderSelfCheckInPage } from './self-check-in-page';
import { SelfCheckInService } from './self-check-in.service';

const NOT_FOUND = '<!doctype html><html lang="en"><meta charset="utf-8"><title>Not found</title><h1>Not found</h1></html>';

/**
 * The self-service check-in: `/e/:orgSlug/:eventSlug/checkin`. No API key (the attendee's
 * code is the credential), its own per-IP rate limit (PerIpRateLimits on /e, in main.ts).
 */
@Public()
@ApiExcludeController()
@Controller('e')
export class SelfCheckInController {
  constructor(private readonly checkIns: SelfCheckInService) {}

  @Get(':orgSlug/:eventSlug/checkin')
  async form(
    @Param('orgSlug') orgSlug: string,
    @Param('eventSlug') eventSlug: string,
    @Res() res: Response,
    @RequestId() requestId?: string,
  ) {
    const context = await this.checkIns.findEvent(orgSlug, eventSlug, requestId);
    if (!context) return sendNotFound(res);
    send(res, renderSelfCheckInPage(context.event, actionOf(orgSlug, eventSlug)));
  }

  @Post(':orgSlug/:eventSlug/checkin')
  @HttpCode(200)
  async checkIn(
    @Param('orgSlug') orgSlug: string,
    @Param('eventSlug') eventSlug: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
    @RequestId() requestId?: string,
  ) {
    const context = await this.checkIns.findEvent(orgSlug, eventSlug, requestId);
    if (!context) return sendNotFound(res);
    const code = typeof body?.code === 'string' ? body.code.slice(0, 64) : '';
    const email = typeof body?.email === 'string' ? body.email.slice(0, 320) : '';
    const outcome = await this.checkIns.checkIn(context, code, email, requestId);
    const keep = outcome.kind === 'not_matched' ? { code, email } : { code: '', email: '' };
    send(res, renderSelfCheckInPage(context.event, actionOf(orgSlug, eventSlug), outcome, keep));
  }
}

const actionOf = (orgSlug: string, eventSlug: string) => `/e/${encodeURIComponent(orgSlug)}/${encodeURIComponent(eventSlug)}/checkin`;

function send(res: Response, { html, csp }: HtmlPage): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.type('html').send(html);
}

function sendNotFound(res: Response): void {
  res.status(404).type('html').send(NOT_FOUND);
}
