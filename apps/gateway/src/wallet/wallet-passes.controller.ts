import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, RequestId } from '../auth/principal';
import { Access, MANAGERS } from '../auth/route-access';
import { API_PREFIX } from '../config';
import { PassesClient } from '../rpc/service-clients.module';
import { sendPkpass } from './wallet-files';
import { WalletService } from './wallet.service';

/** A pass's wallet files for the tenant's own staff (the holder gets them through the signed public link). */
@Access({ roles: MANAGERS, rateGroup: 'manage' })
@Controller(`${API_PREFIX}/passes/:passId/wallet`)
export class WalletPassesController {
  constructor(
    private readonly passes: PassesClient,
    private readonly wallet: WalletService,
  ) {}

  @Get('apple')
  async apple(
    @CurrentPrincipal() principal: Principal,
    @Param('passId') passId: string,
    @Res() res: Response,
    @RequestId() requestId?: string,
  ) {
    const file = await this.passes.call('GetApplePass', { tenantId: principal.tenant.id, id: passId }, requestId);
    sendPkpass(res, file);
  }

  /** `{ saveUrl }`: the "Save to Google Wallet" link of this pass. */
  @Get('google')
  async google(@CurrentPrincipal() principal: Principal, @Param('passId') passId: string, @RequestId() requestId?: string) {
    const link = await this.wallet.googleSaveLink({ tenantId: principal.tenant.id, id: passId }, requestId);
    return { saveUrl: link.saveUrl };
  }
}
