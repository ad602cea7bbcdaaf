import { Injectable } from '@nestjs/common';
import {
  appendToOutbox,
  conflict,
  createEvent,
  EventScope,
  forbidden,
  inScope,
  notFound,
  UndoAdmissionCommandDto,
  UndoOutcome,
} from '@passway/common';
import { SCANS_SCHEMA } from '../database/scans-database';
import { UndoRepository } from './undo.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Door staff take back an admission (`POST /scans/:scanId/undo`, docs/door.md): the wrong ticket was
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
  constructor(private readonly undos: UndoRepository) {}

  async undo(tenantId: string, scanId: string, input: UndoAdmissionCommandDto, scope?: EventScope): Promise<UndoOutcome> {
    if (!UUID.test(scanId)) throw notFound('Scan');
    return this.undos.transaction(async (manager) => {
      const target = await this.undos.lockTarget(manager, tenantId, scanId);
      if (!target || !inScope(scope, target.event_id)) throw notFound('Scan');
      if (input.ownAdmissionsOnly && (!input.apiKeyId || target.api_key_id !== input.apiKeyId)) {
        throw forbidden('a door scanner can undo only the admissions it made itself', 'not_own_admission');
      }
      if (!target.success) throw conflict('this scan was refused, so there is no admission to undo', 'not_an_admission');
      if (target.undone_at) throw conflict('this admission was already undone', 'already_undone');
      if (target.scan_usages_count !== target.usages_count) {
        throw conflict('the pass was admitted again after this scan: only its latest admission can be undone', 'not_last_admission');
      }
      const pass = await this.undos.takeBack(manager, tenantId, target.pass_id);
      const undoneAt = await this.undos.markUndone(manager, tenantId, scanId, input.reason, input.apiKeyId ?? null);
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
