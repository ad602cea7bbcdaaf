import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, RequestId } from '../auth/principal';
import { Access, MANAGERS } from '../auth/route-access';
import { API_PREFIX } from '../config';
import { PassesClient } from '../rpc/service-clients.module';
import { ApplePassFile, sendPkpass } from './wallet-files';

/** A pass's wallet files for the tenant's own staff (the holder gets them through the signed public link). */
@Access({ roles: MANAGERS, rateGroup: 'manage' })
@Controller(`${API_PREFIX}/passes/:passId/wallet`)
export class WalletPassesController {
  constructor(private readonly passes: PassesClient) {}

  @Get('apple')
  async apple(@CurrentPrincipal() principal: Principal, @Param('passId') passId: string, @Res() res: Response, @RequestId() requestId?: string) {
    const file = await this.passes.call<ApplePassFile>('GetApplePass', { tenantId: principal.tenant.id, id: passId }, requestId);
    sendPkpass(res, file);
  }
}
