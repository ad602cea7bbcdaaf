import { Body, Controller, Get, HttpCode, Logger, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, RequestId } from '../../auth/principal';
import { TenantsService } from '../../tenants/tenants.service';
import { HtmlPage } from '../public-pass-page';
import { renderPortalForm, renderPortalLinkRefused, renderPortalPasses, renderPortalUnavailable } from './holder-portal-page';
import { HolderPortalService } from './holder-portal.service';

const NOT_FOUND = '<!doctype html><html lang="en"><meta charset="utf-8"><title>Not found</title><h1>Not found</h1></html>';

/**
 * The holder portal, `/p/portal/:orgSlug`: an email form, the same "check your inbox" answer for
 * every address, and the one-time link's list of passes with their wallet buttons. No API key;
 * per-IP limit on /p/portal (main.ts) and a per-address limit in the service.
 */
@Public()
@ApiExcludeController()
@Controller('p/portal')
export class HolderPortalController {
  private readonly logger = new Logger('HolderPortal');

  constructor(
    private readonly tenants: TenantsService,
    private readonly portal: HolderPortalService,
  ) {}

  @Get(':orgSlug')
  async form(@Param('orgSlug') orgSlug: string, @Res() res: Response) {
    const tenant = await this.tenants.findBySlug(orgSlug);
    if (!tenant) return sendNotFound(res);
    send(res, 200, renderPortalForm(tenant.name, portalPath(orgSlug)));
  }

  @Post(':orgSlug')
  @HttpCode(200)
  async request(
    @Param('orgSlug') orgSlug: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
    @RequestId() requestId?: string,
  ) {
    const tenant = await this.tenants.findBySlug(orgSlug);
    if (!tenant) return sendNotFound(res);
    const email = typeof body?.email === 'string' ? body.email.slice(0, 320) : '';
    try {
      await this.portal.requestLink(tenant, email, portalPath(orgSlug), requestId);
    } catch (error) {
      this.logger.warn(`portal link not sent: ${(error as Error).message}`);
      return send(res, 503, renderPortalUnavailable());
    }
    send(res, 200, renderPortalForm(tenant.name, portalPath(orgSlug), { sent: true }));
  }

  @Get(':orgSlug/passes')
  async passes(@Param('orgSlug') orgSlug: string, @Query('token') token: unknown, @Res() res: Response, @RequestId() requestId?: string) {
    const tenant = await this.tenants.findBySlug(orgSlug);
    if (!tenant) return sendNotFound(res);
    let passes;
    try {
      passes = await this.portal.openLink(tenant, token, requestId);
    } catch (error) {
      this.logger.warn(`portal link not opened: ${(error as Error).message}`);
      return send(res, 503, renderPortalUnavailable());
    }
    if (!passes) return send(res, 403, renderPortalLinkRefused(portalPath(orgSlug)));
    send(res, 200, renderPortalPasses(tenant.name, passes));
  }
}

const portalPath = (orgSlug: string) => `/p/portal/${encodeURIComponent(orgSlug)}`;

function send(res: Response, status: number, { html, csp }: HtmlPage): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  res.setHeader('X-Frame-Options', 'DENY');
  res.status(status).type('html').send(html);
}

function sendNotFound(res: Response): void {
  res.status(404).type('html').send(NOT_FOUND);
}
