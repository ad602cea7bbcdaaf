import { Controller, Get, Logger, Param, Query, Res } from '@nestjs/common';
import { eventIcs, holderLinks, PassLinkSigner, passQrSvg, PublicPassView, UpstreamError } from '@passway/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, RequestId } from '../auth/principal';
import { PassesClient } from '../rpc/service-clients.module';
import { sendPkpass } from '../wallet/wallet-files';
import { WalletService } from '../wallet/wallet.service';
import { HtmlPage, renderPassNotFoundPage, renderPassUnavailablePage, renderPublicPassPage } from './public-pass-page';

const HTML_PAGE = { 'text/html': { schema: { type: 'string' } } };

/**
 * The holder's public pass page, `GET /p/:code?token=…`, and its QR alone. No API key: the signed
 * token in the link is the credential, checked before anything is looked up, so a guessed code or a
 * forged token costs no service call and answers the same 404 as a pass that does not exist.
 * They are public and carry no API key: a per-IP limit (PerIpRateLimits, mounted on /p in main.ts) guards them.
 */
@Public()
@Controller('p')
@ApiResponse({ status: 404, description: 'An HTML page: no such pass, or the link token does not match', content: HTML_PAGE })
@ApiResponse({ status: 503, description: 'An HTML page: the pass cannot be looked up right now; retry later', content: HTML_PAGE })
export class PublicPassController {
  private readonly logger = new Logger(PublicPassController.name);

  constructor(
    private readonly passes: PassesClient,
    private readonly signer: PassLinkSigner,
    private readonly wallet: WalletService,
  ) {}

  @Get(':code')
  async page(@Param('code') code: string, @Query('token') token: unknown, @Res() res: Response, @RequestId() requestId?: string) {
    const pass = await this.find(code, token, requestId);
    if (pass === 'not_found') return sendPage(res, 404, renderPassNotFoundPage());
    if (pass === 'unavailable') return sendPage(res, 503, renderPassUnavailablePage());
    const links = holderLinks(
      `/p/${encodeURIComponent(code)}?token=${encodeURIComponent(String(token))}`,
      this.wallet.offered,
      pass.event !== null,
    );
    return sendPage(res, 200, await renderPublicPassPage(pass, links));
  }

  /** "Add to calendar": the pass's event as an iCalendar file. */
  @Get(':code/event.ics')
  async calendar(@Param('code') code: string, @Query('token') token: unknown, @Res() res: Response, @RequestId() requestId?: string) {
    const pass = await this.find(code, token, requestId);
    if (pass === 'not_found' || (pass !== 'unavailable' && !pass.event)) return sendPage(res, 404, renderPassNotFoundPage());
    if (pass === 'unavailable') return sendPage(res, 503, renderPassUnavailablePage());
    const event = pass.event!;
    privateHeaders(res);
    res.setHeader('Content-Disposition', 'attachment; filename="event.ics"');
    res
      .status(200)
      .type('text/calendar; charset=utf-8')
      .send(
        eventIcs({
          uid: `${pass.code}@passway`,
          name: event.name,
          startsAt: event.startsAt,
          endsAt: event.endsAt,
          venue: event.venue,
          url: this.signer.publicUrl(pass.code),
        }),
      );
  }

  @Get(':code/qr.svg')
  async qr(@Param('code') code: string, @Query('token') token: unknown, @Res() res: Response, @RequestId() requestId?: string) {
    const pass = await this.find(code, token, requestId);
    if (pass === 'not_found') return sendPage(res, 404, renderPassNotFoundPage());
    if (pass === 'unavailable') return sendPage(res, 503, renderPassUnavailablePage());
    privateHeaders(res);
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    res
      .status(200)
      .type('image/svg+xml')
      .send(await passQrSvg(pass.code));
  }

  /** The holder's Apple Wallet pass, behind the same signed link as the page. */
  @Get(':code/wallet/apple')
  async appleWallet(@Param('code') code: string, @Query('token') token: unknown, @Res() res: Response, @RequestId() requestId?: string) {
    if (!this.signer.verify(code, token)) return sendPage(res, 404, renderPassNotFoundPage());
    try {
      const file = await this.passes.callWithoutTenant('GetPublicApplePass', { input: { code } }, requestId);
      sendPkpass(res, file);
    } catch (error) {
      if (error instanceof UpstreamError && (error.status === 404 || error.status === 400))
        return sendPage(res, 404, renderPassNotFoundPage());
      this.logger.warn(`apple wallet pass: passes service answered ${(error as Error).message}`);
      return sendPage(res, 503, renderPassUnavailablePage());
    }
  }

  /** The holder's "Save to Google Wallet": a redirect to the signed save link. */
  @Get(':code/wallet/google')
  async googleWallet(@Param('code') code: string, @Query('token') token: unknown, @Res() res: Response, @RequestId() requestId?: string) {
    if (!this.signer.verify(code, token)) return sendPage(res, 404, renderPassNotFoundPage());
    try {
      const link = await this.wallet.publicGoogleSaveLink(code, requestId);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.redirect(302, link.saveUrl);
    } catch (error) {
      if (error instanceof UpstreamError && (error.status === 404 || error.status === 400))
        return sendPage(res, 404, renderPassNotFoundPage());
      this.logger.warn(`google wallet link: ${(error as Error).message}`);
      return sendPage(res, 503, renderPassUnavailablePage());
    }
  }

  private async find(code: string, token: unknown, requestId?: string): Promise<PublicPassView | 'not_found' | 'unavailable'> {
    if (!this.signer.verify(code, token)) return 'not_found';
    try {
      return await this.passes.callWithoutTenant('GetPublicPass', { input: { code } }, requestId);
    } catch (error) {
      if (error instanceof UpstreamError && error.status === 404) return 'not_found';
      this.logger.warn(`public pass page: passes service answered ${(error as Error).message}`);
      return 'unavailable';
    }
  }
}

/** The link's token is a credential: keep it out of caches, referrers and search engines. */
function privateHeaders(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  res.setHeader('X-Frame-Options', 'DENY');
}

function sendPage(res: Response, status: number, page: HtmlPage): void {
  privateHeaders(res);
  res.setHeader('Content-Security-Policy', page.csp);
  res.status(status).type('text/html; charset=utf-8').send(page.html);
}
