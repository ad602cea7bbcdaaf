import { Injectable } from '@nestjs/common';
import { PassType, DatabaseRepository } from '@passway/common';
import { EntityManager } from 'typeorm';

/** A scan to undo, with its pass's projection row. */
export interface UndoTarget {
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

/** A pass's projection row as an undo left it. */
export interface UndoneAdmission {
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

/** The queries behind taking back an admission: the scan record and the pass's projection row, in one transaction. */
@Injectable()
export class UndoRepository extends DatabaseRepository {
  /** The tenant's scan and its pass's projection row, both locked for the rest of the transaction. */
  async lockTarget(manager: EntityManager, tenantId: string, scanId: string): Promise<UndoTarget | undefined> {
    const [target] = await manager.query<UndoTarget[]>(
      `SELECT s.id, s.pass_id, s.success, s.undone_at, s.api_key_id, s.usages_count AS scan_usages_count, s.scanned_at,
              a.event_id, a.usages_count
         FROM scans.scans s JOIN scans.admissions a ON a.pass_id = s.pass_id AND a.tenant_id = s.tenant_id
        WHERE s.id = $1 AND s.tenant_id = $2
        FOR UPDATE OF a, s`,
      [scanId, tenantId],
    );
    return target;
  }

  /** The counter down by one and its version up by one; a single pass that was `used` is `active` again. */
  async takeBack(manager: EntityManager, tenantId: string, passId: string): Promise<UndoneAdmission> {
    // TypeORM answers an UPDATE on PostgreSQL with [rows, affected count].
    const [[pass]] = await manager.query<[UndoneAdmission[], number]>(
      `UPDATE scans.admissions
          SET usages_count = usages_count - 1,
              tally_version = tally_version + 1,
              status = CASE WHEN type = 'single' AND status = 'used' THEN 'active' ELSE status END,
              updated_at = now()
        WHERE pass_id = $1 AND tenant_id = $2
       RETURNING pass_id, code, name, holder_name, type, status, usages_count, max_usages, tally_version::text, event_id`,
      [passId, tenantId],
    );
    return pass;
  }

  /** Records on the scan when, why and by which key it was undone; when that was. */
  async markUndone(manager: EntityManager, tenantId: string, scanId: string, reason: string, apiKeyId: string | null): Promise<Date> {
    const [[{ undone_at: undoneAt }]] = await manager.query<[{ undone_at: Date }[], number]>(
      `UPDATE scans.scans SET undone_at = now(), undo_reason = $3, undone_by_api_key_id = $4
        WHERE id = $1 AND tenant_id = $2 RETURNING undone_at`,
      [scanId, tenantId, reason, apiKeyId],
    );
    return undoneAt;
  }
}
