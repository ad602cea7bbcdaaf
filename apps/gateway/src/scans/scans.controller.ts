import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ListPassScansQueryDto,
  ListScansQueryDto,
  ScanBatchDto,
  ScanDto,
  ScanPresenter,
  setListHeaders,
  UndoAdmissionDto,
} from '@passway/common';
import type { Request, Response } from 'express';
import { AuthenticatedRequest, CurrentPrincipal, Principal, RequestId } from '../auth/principal';
import { Access, EVERYONE, MANAGERS } from '../auth/route-access';
import { API_PREFIX } from '../config';
import { RerunAfterUnknownOutcome } from '../idempotency/idempotency-policy';
import { chargeItems, RateLimiterService } from '../rate-limit/rate-limiter.service';
import { ScansClient } from '../rpc/service-clients.module';

/** Redemption at the door (`POST /scan`, PassQR's `POST /validate`), offline batches, and scan history. */
@Controller(API_PREFIX)
export class ScansController {
  constructor(
    private readonly scans: ScansClient,
    private readonly rateLimits: RateLimiterService,
  ) {}

  @Access({ roles: EVERYONE, rateGroup: 'manage' })
  @Post('scan')
  @HttpCode(200)
  scan(@CurrentPrincipal() principal: Principal, @Body() body: ScanDto, @RequestId() requestId?: string) {
    return this.redeem(principal, body, requestId);
  }

  /** The same as /scan, for clients written against PassQR. */
  @Access({ roles: EVERYONE, rateGroup: 'manage' })
  @Post('validate')
  @HttpCode(200)
  validate(@CurrentPrincipal() principal: Principal, @Body() body: ScanDto, @RequestId() requestId?: string) {
    return this.redeem(principal, body, requestId);
  }

  @Access({ roles: EVERYONE, rateGroup: 'manage' })
  @Post('scans/batch')
  @RerunAfterUnknownOutcome() // each item's nonce makes a replay a no-op
  @HttpCode(200)
  async batch(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ScanBatchDto,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ) {
    await chargeItems(this.rateLimits, req, res, body.items.length);
    const items = await this.scans.call(
      'ScanBatch',
      { tenantId: principal.tenant.id, input: { items: body.items, apiKeyId: principal.keyId ?? undefined } },
      requestId,
    );
    return { items: items.map(ScanPresenter.batchItem) };
  }

  /**
   * Takes back an admission (a successful scan) with a reason: the wrong ticket was scanned, the
   * guest turned back. Only the pass's latest admission (else 409 not_last_admission); a door
   * scanner only its own (403 not_own_admission). Audit-logged with the reason (`scans.undo`).
   */
  @Access({ roles: EVERYONE, rateGroup: 'manage' })
  @Post('scans/:scanId/undo')
  @HttpCode(200)
  async undo(
    @CurrentPrincipal() principal: Principal,
    @Param('scanId') scanId: string,
    @Body() body: UndoAdmissionDto,
    @Req() req: AuthenticatedRequest,
    @RequestId() requestId?: string,
  ) {
    const outcome = await this.scans.call(
      'UndoAdmission',
      {
        tenantId: principal.tenant.id,
        id: scanId,
        input: { reason: body.reason, apiKeyId: principal.keyId ?? undefined, ownAdmissionsOnly: principal.role === 'scanner' },
      },
      requestId,
    );
    req.auditDetails = {
      reason: outcome.scan.reason,
      passId: outcome.pass.id,
      code: outcome.pass.code,
      usagesCount: outcome.pass.usagesCount,
    };
    return ScanPresenter.undo(outcome);
  }

  @Access({ roles: MANAGERS, rateGroup: 'manage' })
  @Get('passes/:passId/scans')
  async listForPass(
    @CurrentPrincipal() principal: Principal,
    @Param('passId') passId: string,
    @Query() query: ListPassScansQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ) {
    const page = await this.scans.call('ListPassScans', { tenantId: principal.tenant.id, id: passId, input: query }, requestId);
    setListHeaders(req, res, page.total, page.page, page.limit);
    return page.items.map(ScanPresenter.record);
  }

  @Access({ roles: MANAGERS, rateGroup: 'manage' })
  @Get('scans')
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListScansQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ) {
    const page = await this.scans.call('ListScans', { tenantId: principal.tenant.id, input: query }, requestId);
    setListHeaders(req, res, page.total, page.page, page.limit);
    return page.items.map(ScanPresenter.record);
  }

  private async redeem(principal: Principal, body: ScanDto, requestId?: string) {
    const outcome = await this.scans.call(
      'Scan',
      { tenantId: principal.tenant.id, input: { code: body.code, method: body.method, apiKeyId: principal.keyId ?? undefined } },
      requestId,
    );
    return ScanPresenter.outcome(outcome);
  }
}
