import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  BatchItemOutcome,
  CheckInMethod,
  DomainError,
  EventScope,
  inScope,
  invalidArgument,
  isPgError,
  notFound,
  PASS_CODE_PATTERN,
  PG_UNIQUE_VIOLATION,
  ScanBatchCommandDto,
  ScanChannel,
  ScanCommandDto,
  ScanOutcome,
} from '@passway/common';
import { Admission, AdmissionRow, displayStatus, refusalOf, toAdmission } from '../admissions/admission';
import { AdmissionsProjectionConsumer } from '../admissions/admissions-projection.consumer';
import { AdmissionsRepository } from '../admissions/admissions.repository';
import { PassDirectory } from '../admissions/pass-directory';
import { SCANS_CONFIG, ScansConfig } from '../config';
import { ScanRecordsRepository, ScanRow } from '../history/scan-records.repository';
import { RedemptionRepository } from './redemption.repository';

/** An offline scanner's clock may run a little ahead; further than this, its scannedAt is refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const ATTEMPTS = 3;

interface ScanOptions {
  channel: ScanChannel;
  method: CheckInMethod;
  nonce: string | null;
  apiKeyId: string | null;
}

/** The scan's nonce was recorded before (a replayed offline batch, or a duplicate nonce inside one). */
class NonceAlreadyRecorded extends Error {}

@Injectable()
export class RedemptionService {
  constructor(
    private readonly redemptions: RedemptionRepository,
    private readonly admissions: AdmissionsRepository,
    private readonly records: ScanRecordsRepository,
    private readonly directory: PassDirectory,
    private readonly projection: AdmissionsProjectionConsumer,
    @Inject(SCANS_CONFIG) private readonly config: Pick<ScansConfig, 'SCANS_PROJECTION_LAG_BOUND_MS'>,
  ) {}

  /** `POST /scan`: redeem a code now. */
  scan(tenantId: string, input: ScanCommandDto, scope?: EventScope): Promise<ScanOutcome> {
    return this.redeem(tenantId, input.code, new Date(), scope, {
      channel: 'online',
      method: input.method ?? 'qr_scan',
      nonce: null,
      apiKeyId: input.apiKeyId ?? null,
    });
  }

  /**
   * `POST /scans/batch`: scans an offline scanner recorded, applied in the order given, each at
   * its own scannedAt. A nonce already recorded is answered from its record and changes nothing,
   * so replaying a batch (after a timeout, say) is safe.
   */
  async scanBatch(tenantId: string, input: ScanBatchCommandDto, scope?: EventScope): Promise<BatchItemOutcome[]> {
    const latest = Date.now() + MAX_CLOCK_SKEW_MS;
    input.items.forEach((item, index) => {
      if (Date.parse(item.scannedAt) > latest) {
        throw invalidArgument(`items[${index}].scannedAt is in the future`, 'scanned_at_in_future', [
          { field: `items.${index}.scannedAt`, problems: ['is in the future'] },
        ]);
      }
    });
    const recorded = await this.records.findByNonces(
      tenantId,
      input.items.map((item) => item.nonce),
    );
    const outcomes: BatchItemOutcome[] = [];
    for (const item of input.items) {
      const prior = recorded.get(item.nonce);
      if (prior) {
        outcomes.push(await this.replay(prior, scope));
        continue;
      }
      try {
        const outcome = await this.redeem(tenantId, item.code, new Date(item.scannedAt), scope, {
          channel: 'offline',
          method: item.method ?? 'qr_scan',
          nonce: item.nonce,
          apiKeyId: input.apiKeyId ?? null,
        });
        outcomes.push({ ...outcome, nonce: item.nonce, replayed: false });
      } catch (error) {
        if (error instanceof NonceAlreadyRecorded) {
          const row = (await this.records.findByNonces(tenantId, [item.nonce])).get(item.nonce)!;
          outcomes.push(await this.replay(row, scope));
        } else if (error instanceof DomainError && error.kind === 'not_found') {
          outcomes.push({
            nonce: item.nonce,
            success: false,
            result: 'not_found',
            error: error.message,
            pass: null,
            scan: null,
            replayed: false,
          });
        } else {
          throw error;
        }
      }
    }
    return outcomes;
  }

  private async redeem(tenantId: string, code: string, at: Date, scope: EventScope, options: ScanOptions): Promise<ScanOutcome> {
    if (!PASS_CODE_PATTERN.test(code)) throw notFound('Pass');
    if (scope !== undefined) await this.assertInScope(tenantId, code, scope);
    if (this.projection.lagMs() > this.config.SCANS_PROJECTION_LAG_BOUND_MS && !(await this.confirmWithPasses(tenantId, code))) {
      return this.refuseUnconfirmed(tenantId, code, at, options);
    }
    let readThrough = false;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const redeemed = await this.tryRedeem(tenantId, code, at, options);
      if (redeemed) return redeemed;
      // Nothing was updated: refused, or unknown to the projection. A fresh read tells which
      // (it sees the scan that won a race, so the loser is classified against the winner's result).
      const admission = await this.admissions.findByCode(tenantId, code);
      if (!admission) {
        if (readThrough) break;
        await this.admissions.apply(await this.directory.byCode(tenantId, code));
        readThrough = true;
        continue;
      }
      const refusal = refusalOf(admission, at);
      if (refusal) return this.recordRefusal(admission, refusal, at, options);
      // Redeemable on this read: it changed between the two statements (reactivated, say); go again.
    }
    throw notFound('Pass');
  }

  /**
   * The projection is behind (cold start, Kafka away, a stuck consumer): the pass and its event
   * are read from the passes service and written into the projection before the scan is judged.
   * False when the passes service cannot answer; an unknown pass is still a 404.
   */
  private async confirmWithPasses(tenantId: string, code: string): Promise<boolean> {
    try {
      const pass = await this.directory.byCode(tenantId, code);
      const event = pass.eventId ? await this.directory.event(tenantId, pass.eventId) : null;
      await this.admissions.apply(pass);
      if (event) await this.admissions.applyEvent(event);
      return true;
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'unavailable') return false;
      throw error;
    }
  }

  /**
   * Neither the projection nor the passes service can vouch for the pass: a refusal the
   * projection already knows of stands (refusing is safe), anything else is refused as
   * `offline`. It is recorded without the nonce, so an offline batch sent again is judged again.
   */
  private async refuseUnconfirmed(tenantId: string, code: string, at: Date, options: ScanOptions): Promise<ScanOutcome> {
    const admission = await this.admissions.findByCode(tenantId, code);
    if (!admission) {
      throw new DomainError(
        'unavailable',
        'this pass is not known to the scans service yet and the passes service cannot be reached; try again shortly',
        'passes_unavailable',
      );
    }
    const refusal = refusalOf(admission, at);
    if (refusal) return this.recordRefusal(admission, refusal, at, options);
    return this.recordRefusal(admission, 'offline', at, { ...options, nonce: null });
  }

  /**
   * An event-scoped key sees only its events' passes: anything else is answered like an unknown
   * code. A pass's event never changes (passes service), so checking before the redemption is safe.
   */
  private async assertInScope(tenantId: string, code: string, scope: EventScope): Promise<void> {
    const admission = await this.admissions.findByCode(tenantId, code);
    const eventId = admission ? admission.eventId : (await this.directory.byCode(tenantId, code)).eventId;
    if (!inScope(scope, eventId)) throw notFound('Pass');
  }

  private async tryRedeem(tenantId: string, code: string, at: Date, options: ScanOptions): Promise<ScanOutcome | null> {
    const scanId = randomUUID();
    let row: AdmissionRow | null;
    try {
      row = await this.redemptions.redeem(tenantId, code, { id: scanId, at, ...options });
    } catch (error) {
      throw nonceConflict(error) ? new NonceAlreadyRecorded() : error;
    }
    if (!row) return null;
    return outcome(toAdmission(row), 'success', scanId, at);
  }

  private async recordRefusal(
    admission: Admission,
    result: Exclude<ScanOutcome['result'], 'success'>,
    at: Date,
    options: ScanOptions,
  ): Promise<ScanOutcome> {
    const scanId = randomUUID();
    const passStatus = displayStatus(admission, at);
    try {
      await this.redemptions.recordRefusal(admission, result, passStatus, { id: scanId, at, ...options });
    } catch (error) {
      throw nonceConflict(error) ? new NonceAlreadyRecorded() : error;
    }
    return outcome(admission, result, scanId, at, passStatus);
  }

  private async replay(row: ScanRow, scope: EventScope): Promise<BatchItemOutcome> {
    const admission = await this.admissions.findById(row.tenant_id, row.pass_id);
    if (!inScope(scope, admission?.eventId)) {
      return {
        nonce: row.nonce!,
        success: false,
        result: 'not_found',
        error: notFound('Pass').message,
        pass: null,
        scan: null,
        replayed: false,
      };
    }
    return {
      nonce: row.nonce!,
      replayed: true,
      success: row.success,
      result: row.result,
      pass: {
        id: row.pass_id,
        code: row.code,
        name: admission?.name ?? null,
        type: admission?.type ?? 'single',
        status: row.pass_status,
        usagesCount: row.usages_count,
        maxUsages: admission?.maxUsages ?? null,
      },
      scan: { id: row.id, scannedAt: row.scanned_at.toISOString() },
    };
  }
}

function outcome(
  admission: Admission,
  result: ScanOutcome['result'],
  scanId: string,
  at: Date,
  status = admission.status as string,
): ScanOutcome {
  return {
    success: result === 'success',
    result,
    pass: {
      id: admission.passId,
      code: admission.code,
      name: admission.name,
      type: admission.type,
      status,
      usagesCount: admission.usagesCount,
      maxUsages: admission.maxUsages,
    },
    scan: { id: scanId, scannedAt: at.toISOString() },
  };
}

function nonceConflict(error: unknown): boolean {
  return isPgError(error, PG_UNIQUE_VIOLATION) && (error as { constraint?: string }).constraint === 'scans_tenant_nonce';
}
