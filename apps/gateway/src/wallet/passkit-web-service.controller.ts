import { Body, Controller, Delete, Get, Headers, HttpCode, Logger, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public, RequestId } from '../auth/principal';
import { NotificationsClient, PassesClient } from '../rpc/service-clients.module';
import { WalletService } from './wallet.service';
import { WalletPassInfo } from '@passway/common';
import { lastModifiedSeconds, sendPkpass } from './wallet-files';
import { DeviceLogDto } from './dto/device-log.dto';

/**
 * Apple's PassKit web service, at `${PUBLIC_BASE_URL}/wallet/v1/…` (the passes' webServiceURL is
 * `${PUBLIC_BASE_URL}/wallet`). A pass's `Authorization: ApplePass <token>` is checked here, in
 * constant time and before any lookup; registrations live in the notifications service.
 */
@Public()
@Controller('wallet/v1')
export class PassKitWebServiceController {
  private readonly logger = new Logger('PassKitWebService');

  constructor(
    private readonly passes: PassesClient,
    private readonly notifications: NotificationsClient,
    private readonly wallet: WalletService,
  ) {}

  @Post('devices/:deviceLibraryId/registrations/:passTypeId/:serial')
  async register(
    @Param('deviceLibraryId') deviceLibraryId: string,
    @Param('passTypeId') passTypeId: string,
    @Param('serial') serial: string,
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
    @Res() res: Response,
    @RequestId() requestId?: string,
  ) {
    const info = await this.authorizedPass(passTypeId, serial, authorization, requestId);
    const pushToken = (body as { pushToken?: unknown } | undefined)?.pushToken;
    const { created } = await this.notifications.call(
      'RegisterWalletDevice',
      {
        tenantId: info.tenantId,
        input: { deviceLibraryId, passTypeId, passId: info.passId, eventId: info.eventId, templateId: info.templateId, pushToken },
      },
      requestId,
    );
    res.status(created ? 201 : 200).end();
  }

  @Delete('devices/:deviceLibraryId/registrations/:passTypeId/:serial')
  async unregister(
    @Param('deviceLibraryId') deviceLibraryId: string,
    @Param('passTypeId') passTypeId: string,
    @Param('serial') serial: string,
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
    @RequestId() requestId?: string,
  ) {
    this.wallet.checkToken(passTypeId, serial, authorization);
    await this.notifications.callWithoutTenant(
      'UnregisterWalletDevice',
      { input: { deviceLibraryId, passTypeId, passId: serial } },
      requestId,
    );
    res.status(200).end();
  }

  /** No token here: Apple sends none, the device library id is the secret. */
  @Get('devices/:deviceLibraryId/registrations/:passTypeId')
  async updated(
    @Param('deviceLibraryId') deviceLibraryId: string,
    @Param('passTypeId') passTypeId: string,
    @Query('passesUpdatedSince') passesUpdatedSince: unknown,
    @Res() res: Response,
    @RequestId() requestId?: string,
  ) {
    this.wallet.requirePassType(passTypeId);
    const since = typeof passesUpdatedSince === 'string' ? passesUpdatedSince : null;
    const result = await this.notifications.callWithoutTenant(
      'ListUpdatedWalletPasses',
      { input: { deviceLibraryId, passTypeId, passesUpdatedSince: since } },
      requestId,
    );
    if (!result) return res.status(204).end();
    res.status(200).json(result);
  }

  @Get('passes/:passTypeId/:serial')
  async latest(
    @Param('passTypeId') passTypeId: string,
    @Param('serial') serial: string,
    @Headers('authorization') authorization: string | undefined,
    @Headers('if-modified-since') ifModifiedSince: string | undefined,
    @Res() res: Response,
    @RequestId() requestId?: string,
  ) {
    this.wallet.checkToken(passTypeId, serial, authorization);
    const file = await this.passes.callWithoutTenant('GetPublicApplePass', { input: { serial } }, requestId);
    const since = ifModifiedSince ? Date.parse(ifModifiedSince) : NaN;
    if (Number.isFinite(since) && lastModifiedSeconds(file.lastModified) <= Math.floor(since / 1000)) {
      res.setHeader('Last-Modified', new Date(lastModifiedSeconds(file.lastModified) * 1000).toUTCString());
      return res.status(304).end();
    }
    sendPkpass(res, file);
  }

  /** Devices report problems with our service here; we keep them in our log (bounded, one line each). */
  @Post('log')
  @HttpCode(200)
  log(@Body() { logs }: DeviceLogDto) {
    for (const line of logs.slice(0, 20)) this.logger.warn(`device log: ${line.slice(0, 500).replace(/[\r\n]+/g, ' ')}`);
    return {};
  }

  private async authorizedPass(
    passTypeId: string,
    serial: string,
    authorization: string | undefined,
    requestId?: string,
  ): Promise<WalletPassInfo> {
    this.wallet.checkToken(passTypeId, serial, authorization);
    return this.passes.callWithoutTenant('GetWalletPassInfo', { input: { serial } }, requestId);
  }
}
