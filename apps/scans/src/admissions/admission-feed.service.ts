import { Inject, Injectable } from '@nestjs/common';
import {
  AdmissionFeedItem,
  AdmissionFeedPage,
  AdmissionFeedQueryDto,
  DEFAULT_ADMISSION_PAGE_SIZE,
  EventScope,
  EventStatus,
  inScope,
  isUuid,
  notFound,
} from '@passway/common';
import type { Pool } from 'pg';
import { SCANS_POOL } from '../database/scans-database';
import { AdmissionCursor, decodeCursor, encodeCursor } from './admission-cursor';
import { AdmissionsRepository } from './admissions.repository';
import { PassDirectory } from './pass-directory';

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
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

interface FeedRow {
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

/** The door app's copy of an event's admissions: a full download, then deltas (docs/door.md). */
@Injectable()
export class AdmissionFeedService {
  constructor(
    @Inject(SCANS_POOL) private readonly pool: Pool,
    private readonly admissions: AdmissionsRepository,
    private readonly directory: PassDirectory,
  ) {}

  async page(tenantId: string, eventId: string, query: AdmissionFeedQueryDto, scope?: EventScope): Promise<AdmissionFeedPage> {
    const eventStatus = await this.eventStatus(tenantId, eventId, scope);
    const limit = query.limit ?? DEFAULT_ADMISSION_PAGE_SIZE;
    const cursor: AdmissionCursor | null = query.since ? decodeCursor(query.since) : null;
    const from = cursor?.from ?? '0';
    const after = cursor?.after ?? { xid: from, passId: NIL_UUID };
    const { rows } = await this.pool.query<FeedRow>(PAGE_SQL, [tenantId, eventId, from, after.xid, after.passId, limit]);
    // The delta's watermark is fixed by its first page; later pages carry it along.
    const next = cursor?.after ? cursor.next : (rows[0]?.watermark ?? (await this.watermark()));
    const hasMore = rows.length === limit;
    const last = rows[rows.length - 1];
    const nextCursor = hasMore
      ? encodeCursor({ from, next, after: { xid: last.change_xid, passId: last.pass_id } })
      : encodeCursor({ from: next, next, after: null });
    return { eventId, eventStatus, items: rows.map(toItem), nextCursor, hasMore, serverTime: new Date().toISOString() };
  }

  /** The event as the projection knows it; one it has not seen yet is asked of the passes service. */
  private async eventStatus(tenantId: string, eventId: string, scope: EventScope): Promise<EventStatus> {
    if (!isUuid(eventId) || !inScope(scope, eventId)) throw notFound('Event');
    const known = await this.admissions.findEvent(tenantId, eventId);
    if (known) return known.status;
    const event = await this.directory.event(tenantId, eventId);
    await this.admissions.applyEvent(event);
    return event.status;
  }

  private async watermark(): Promise<string> {
    const { rows } = await this.pool.query<{ watermark: string }>(EMPTY_PAGE_WATERMARK_SQL);
    return rows[0].watermark;
  }
}

function toItem(row: FeedRow): AdmissionFeedItem {
  return {
    passId: row.pass_id,
    codeHash: row.code_hash,
    name: row.name,
    holderName: row.holder_name,
    type: row.type,
    status: row.status,
    validFrom: row.valid_from ? row.valid_from.toISOString() : null,
    validUntil: row.valid_until ? row.valid_until.toISOString() : null,
    maxUsages: row.max_usages,
    usagesCount: row.usages_count,
  };
}
