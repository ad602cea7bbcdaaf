import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  appendToOutbox,
  conflict,
  createEvent,
  EventScope,
  forbidden,
  inScope,
  notFound,
  PassType,
  UndoAdmissionCommandDto,
  UndoOutcome,
} from '@passway/common';
import { DataSource } from 'typeorm';
import { SCANS_SCHEMA } from '../database/scans-database';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface UndoTarget {
  id: string;
  pass_id: string;
  success: boolean;
  undone_at: Date | null;
  api_key_id: string | null;
  scan_usages_count: number;
  scanned_at: Date;
  event_id: string | null;
  usages_count: number;
}

interface UndoneAdmission {
  pass_id: string;
  code: string;
  name: string | null;
  holder_name: string | null;
  type: PassType;
  status: string;
  usages_count: number;
  max_usages: number | null;
  tally_version: string;
  event_id: string | null;
}

/**
 * Door staff take back an admission (`POST /scans/:scanId/undo`, issue 13): the wrong ticket was
 * scanned, or the guest turned back. One transaction with the pass's projection row locked, so it
 * is ordered against every redemption of the pass (they take the same lock):
 *  - the scan must be a success, not undone yet, and **the pass's latest admission**: the counter
 *    must still be what that scan left (`scans.usages_count` = `admissions.usages_count`), so an
 *    undo never takes back a different admission than the one it names (a later scan, or two
 *    doors undoing at once, make it a 409 instead);
 *  - the counter goes down by one and its version up by one; a single pass that was `used` is
 *    `active` again (a revoked pass stays revoked);
 *  - the scan row records when, why and by which key; `pass.admission_undone` goes to the outbox,
 *    so the passes service's count (and its `used`) follow, ordered by the version.
 */
@Injectable()
export class UndoService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async undo(tenantId: string, scanId: string, input: UndoAdmissionCommandDto, scope?: EventScope): Promise<UndoOutcome> {
    if (!UUID.test(scanId)) throw notFound('Scan');
    return this.dataSource.transaction(async (manager) => {
      const [target] = await manager.query<UndoTarget[]>(
        `SELECT s.id, s.pass_id, s.success, s.undone_at, s.api_key_id, s.usages_count AS scan_usages_count, s.scanned_at,
                a.event_id, a.usages_count
           FROM scans.scans s JOIN scans.admissions a ON a.pass_id = s.pass_id AND a.tenant_id = s.tenant_id
          WHERE s.id = $1 AND s.tenant_id = $2
          FOR UPDATE OF a, s`,
        [scanId, tenantId],
      );
      if (!target || !inScope(scope, target.event_id)) throw notFound('Scan');
      if (input.ownAdmissionsOnly && (!input.apiKeyId || target.api_key_id !== input.apiKeyId)) {
        throw forbidden('a door scanner can undo only the admissions it made itself', 'not_own_admission');
      }
      if (!target.success) throw conflict('this scan was refused, so there is no admission to undo', 'not_an_admission');
      if (target.undone_at) throw conflict('this admission was already undone', 'already_undone');
      if (target.scan_usages_count !== target.usages_count) {
        throw conflict('the pass was admitted again after this scan: only its latest admission can be undone', 'not_last_admission');
      }
      // TypeORM answers an UPDATE on PostgreSQL with [rows, affected count].
      const [[pass]] = await manager.query<[UndoneAdmission[], number]>(
        `UPDATE scans.admissions
            SET usages_count = usages_count - 1,
                tally_version = tally_version + 1,
                status = CASE WHEN type = 'single' AND status = 'used' THEN 'active' ELSE status END,
                updated_at = now()
          WHERE pass_id = $1 AND tenant_id = $2
         RETURNING pass_id, code, name, holder_name, type, status, usages_count, max_usages, tally_version::text, event_id`,
        [target.pass_id, tenantId],
      );
      const [[{ undone_at: undoneAt }]] = await manager.query<[{ undone_at: Date }[], number]>(
        `UPDATE scans.scans SET undone_at = now(), undo_reason = $3, undone_by_api_key_id = $4
          WHERE id = $1 AND tenant_id = $2 RETURNING undone_at`,
        [scanId, tenantId, input.reason, input.apiKeyId ?? null],
      );
      const undone = createEvent('pass.admission_undone', tenantId, {
        scanId,
        passId: pass.pass_id,
        code: pass.code,
        passName: pass.name,
        holderName: pass.holder_name,
        passType: pass.type,
        usagesCount: pass.usages_count,
        maxUsages: pass.max_usages,
        passStatus: pass.status,
        tallyVersion: Number(pass.tally_version),
        reason: input.reason,
        scannedAt: target.scanned_at.toISOString(),
        undoneAt: undoneAt.toISOString(),
        apiKeyId: input.apiKeyId ?? null,
        eventId: pass.event_id,
      });
      await appendToOutbox(manager, SCANS_SCHEMA, pass.pass_id, undone);
      return {
        pass: {
          id: pass.pass_id,
          code: pass.code,
          name: pass.name,
          type: pass.type,
          status: pass.status,
          usagesCount: pass.usages_count,
          maxUsages: pass.max_usages,
        },
        scan: { id: scanId, scannedAt: target.scanned_at.toISOString(), undoneAt: undoneAt.toISOString(), reason: input.reason },
      };
    });
  }
}
