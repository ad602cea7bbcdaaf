import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse } from '@nestjs/swagger';
import { conflict } from '@passway/common';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, RequestId } from '../auth/principal';
import { Access, MANAGERS } from '../auth/route-access';
import { API_PREFIX } from '../config';
import { NotificationsClient, PassesClient } from '../rpc/service-clients.module';

@Access({ roles: MANAGERS, rateGroup: 'manage' })
@Controller(`${API_PREFIX}/passes/:passId/emails`)
export class PassEmailsController {
  constructor(
    private readonly passes: PassesClient,
    private readonly notifications: NotificationsClient,
  ) {}

  /**
   * What was emailed to a pass's holder and whether it went out. The notifications service only
   * knows emails, so the pass is first looked up for this tenant: another tenant's pass is a 404.
   */
  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('passId') passId: string,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ) {
    const tenantId = principal.tenant.id;
    const pass = await this.passes.call('GetPass', { tenantId, id: passId }, requestId);
    const emails = await this.notifications.call('ListPassEmails', { tenantId, id: pass.id }, requestId);
    res.setHeader('X-Total-Count', String(emails.length));
    return emails;
  }

  /** The holder's pass email again (same address, same link); a revoked pass is not re-sent. */
  @Post('resend')
  @HttpCode(202)
  @ApiAcceptedResponse({
    description: 'The new email, queued; 409 no_pass_email when the pass was never emailed, pass_revoked when revoked',
  })
  async resend(@CurrentPrincipal() principal: Principal, @Param('passId') passId: string, @RequestId() requestId?: string) {
    const tenantId = principal.tenant.id;
    const pass = await this.passes.call('GetPass', { tenantId, id: passId }, requestId);
    if (pass.status === 'revoked') throw conflict('this pass is revoked: activate it before sending it again', 'pass_revoked');
    return this.notifications.call('ResendPassEmail', { tenantId, id: pass.id }, requestId);
  }
}
