import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { SCANS_POOL } from '../database/scans-database';

/**
 * The watermark of a read: the oldest transaction still running when the statement's snapshot
 * was taken (its rows were invisible to the read), or the snapshot's xmax when none was.
 * Transactions of other databases on the same server cannot write these rows and would hold
 * the watermark back for nothing, so the ones pg_stat_activity names as elsewhere are left out;
 * one that ended before pg_stat_activity was read stays in, which only errs on the early side.
 */
const WATERMARK_SQL = `coalesce(
    (SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
      WHERE xid(x) NOT IN (SELECT backend_xid FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database())),
    pg_snapshot_xmax(pg_current_snapshot()))::text`;

/**
 * One page of a delta and the watermark of the snapshot it was read with, in one statement (one
 * snapshot). The inner query walks admissions_event_changes in order and stops at the limit
 * (migration AdmissionEventTenantStatistics tells the planner an event has one tenant). Its
 * ORDER BY names the table's columns: the bare name would be the text output column, sorting
 * '100' before '99' against the keyset's xid8 order. The outer query makes each code's hash
 * (base64url(SHA-256(code)), as the door app computes of a scanned code) for the page's rows only.
 */
const PAGE_SQL = `
  SELECT p.pass_id, rtrim(translate(encode(sha256(convert_to(p.code, 'UTF8')), 'base64'), '+/', '-_'), '=') AS code_hash,
         p.name, p.holder_name, p.type, p.status, p.valid_from, p.valid_until, p.max_usages, p.usages_count,
         p.change_xid::text AS change_xid, ${WATERMARK_SQL} AS watermark
    FROM (SELECT a.pass_id, a.code, a.name, a.holder_name, a.type, a.status, a.valid_from, a.valid_until, a.max_usages,
                 a.usages_count, a.change_xid
            FROM scans.admissions a
           WHERE a.tenant_id = $1 AND a.event_id = $2 AND a.change_xid >= $3::xid8
             AND (a.change_xid, a.pass_id) > ($4::xid8, $5::uuid)
           ORDER BY a.change_xid, a.pass_id
           LIMIT $6) p
   ORDER BY p.change_xid, p.pass_id`;
const EMPTY_PAGE_WATERMARK_SQL = `SELECT ${WATERMARK_SQL} AS watermark`;
export interface FeedRow {
  pass_id: string;
  code_hash: string;
  name: string | null;
  holder_name: string | null;
  type: 'single' | 'multi';
  status: 'active' | 'used' | 'revoked';
  valid_from: Date | null;
  valid_until: Date | null;
  max_usages: number | null;
  usages_count: number;
  change_xid: string;
  watermark: string;
}

/** The door app's feed of an event's admissions, read on the scan path's own pg pool (SCANS_POOL). */
@Injectable()
export class AdmissionFeedRepository {
  constructor(@Inject(SCANS_POOL) private readonly pool: Pool) {}

  /**
   * One page of the event's admissions changed from transaction `from` on, after the keyset
   * position `after` (change xid, pass id), each row carrying the watermark of the page's snapshot.
   */
  async page(tenantId: string, eventId: string, from: string, after: { xid: string; passId: string }, limit: number): Promise<FeedRow[]> {
    const { rows } = await this.pool.query<FeedRow>(PAGE_SQL, [tenantId, eventId, from, after.xid, after.passId, limit]);
    return rows;
  }

  /** The watermark of a read now (for a page with no rows to carry it). */
  async watermark(): Promise<string> {
    const { rows } = await this.pool.query<{ watermark: string }>(EMPTY_PAGE_WATERMARK_SQL);
    return rows[0].watermark;
  }
}
