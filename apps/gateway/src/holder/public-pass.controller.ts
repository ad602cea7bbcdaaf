import { Controller, Get, Logger, Param, Query, Res } from '@nestjs/common';
import { PassLinkSigner, passQrSvg, PublicPassView, UpstreamError } from '@passway/common';
import type { Response } from 'express';
import { Public, RequestId } from '../auth/principal';
import { PassesClient } from '../rpc/service-clients.module';
import { HtmlPage, renderPassNotFoundPage, renderPassUnavailablePage, renderPublicPassPage } from './public-pass-page';

/**
 * The holder's public pass page, `GET /p/:code?token=…`, and its QR alone. No API key: the signed
 * token in the link is the credential, checked before anything is looked up, so a guessed code or a
 * forged token costs no service call and answers the same 404 as a pass that does not exist.
 * They are public and carry no API key: a per-IP limit (PerIpRateLimits, mounted on /p in main.ts) guards them.
 */
@Public()
@Controller('p')
export class PublicPassController {
  private readonly logger = new Logger(PublicPassController.name);

  constructor(
    private readonly passes: PassesClient,
    private readonly signer: PassLinkSigner,
  ) {}

  @Get(':code')
  async page(@Param('code') code: string, @Query('token') token: unknown, @Res() res: Response, @RequestId() requestId?: string) {
    const pass = await this.find(code, token, requestId);
    if (pass === 'not_found') return sendPage(res, 404, renderPassNotFoundPage());
    if (pass === 'unavailable') return sendPage(res, 503, renderPassUnavailablePage());
    return sendPage(res, 200, await renderPublicPassPage(pass));
  }

  @Get(':code/qr.svg')
  async qr(@Param('code') code: string, @Query('token') token: unknown, @Res() res: Response, @RequestId() requestId?: string) {
    const pass = await this.find(code, token, requestId);
    if (pass === 'not_found') return sendPage(res, 404, renderPassNotFoundPage());
    if (pass === 'unavailable') return sendPage(res, 503, renderPassUnavailablePage());
    privateHeaders(res);
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    res.status(200).type('image/svg+xml').send(await passQrSvg(pass.code));
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
