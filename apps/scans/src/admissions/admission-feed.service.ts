import { Inject, Injectable } from '@nestjs/common';
import {
  AdmissionFeedItem,
  AdmissionFeedPage,
  EncodedResult,
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

const ISO_SQL = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Each field of a feed item in SQL over the page row `p`: PostgreSQL writes the page's JSON, so
 * 5,000 rows are neither parsed into objects nor written out again by this service. The code's
 * hash is base64url(SHA-256(code)), as the door app computes of a scanned code.
 */
const FEED_ITEM_SQL: Record<keyof AdmissionFeedItem, string> = {
  passId: 'p.pass_id',
  codeHash: `rtrim(translate(encode(sha256(convert_to(p.code, 'UTF8')), 'base64'), '+/', '-_'), '=')`,
  name: 'p.name',
  holderName: 'p.holder_name',
  type: 'p.type',
  status: 'p.status',
  validFrom: ISO_SQL('p.valid_from'),
  validUntil: ISO_SQL('p.valid_until'),
  maxUsages: 'p.max_usages',
  usagesCount: 'p.usages_count',
};

/**
 * One page of a delta and the watermark of the snapshot it was read with, in one statement (one
 * snapshot). The page walks admissions_event_changes in order and stops at the limit (migration
 * AdmissionEventTenantStatistics tells the planner an event has one tenant). Its ORDER BY names
 * the table's columns: the bare name would be a text output column, sorting '100' before '99'
 * against the keyset's xid8 order.
 */
const PAGE_SQL = `
  WITH page AS (
    SELECT a.pass_id, a.code, a.name, a.holder_name, a.type, a.status, a.valid_from, a.valid_until, a.max_usages,
           a.usages_count, a.change_xid
      FROM scans.admissions a
     WHERE a.tenant_id = $1 AND a.event_id = $2 AND a.change_xid >= $3::xid8
       AND (a.change_xid, a.pass_id) > ($4::xid8, $5::uuid)
     ORDER BY a.change_xid, a.pass_id
     LIMIT $6
  ), last AS (
    SELECT p.change_xid::text AS change_xid, p.pass_id FROM page p ORDER BY p.change_xid DESC, p.pass_id DESC LIMIT 1
  )
  SELECT coalesce((SELECT json_agg(json_build_object(${Object.entries(FEED_ITEM_SQL)
    .map(([field, sql]) => `'${field}', ${sql}`)
    .join(', ')}) ORDER BY p.change_xid, p.pass_id) FROM page p), '[]')::text AS items,
         (SELECT count(*) FROM page)::int AS count,
         (SELECT change_xid FROM last) AS last_xid,
         (SELECT pass_id FROM last) AS last_pass_id,
         ${WATERMARK_SQL} AS watermark`;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

interface PageRow {
  items: string;
  count: number;
  last_xid: string | null;
  last_pass_id: string | null;
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

  async page(
    tenantId: string,
    eventId: string,
    query: AdmissionFeedQueryDto,
    scope?: EventScope,
  ): Promise<EncodedResult<AdmissionFeedPage>> {
    const eventStatus = await this.eventStatus(tenantId, eventId, scope);
    const limit = query.limit ?? DEFAULT_ADMISSION_PAGE_SIZE;
    const cursor: AdmissionCursor | null = query.since ? decodeCursor(query.since) : null;
    const from = cursor?.from ?? '0';
    const after = cursor?.after ?? { xid: from, passId: NIL_UUID };
    const {
      rows: [page],
    } = await this.pool.query<PageRow>(PAGE_SQL, [tenantId, eventId, from, after.xid, after.passId, limit]);
    // The delta's watermark is fixed by its first page; later pages carry it along.
    const next = cursor?.after ? cursor.next : page.watermark;
    const hasMore = page.count === limit;
    const nextCursor =
      hasMore && page.last_xid && page.last_pass_id
        ? encodeCursor({ from, next, after: { xid: page.last_xid, passId: page.last_pass_id } })
        : encodeCursor({ from: next, next, after: null });
    const rest: Omit<AdmissionFeedPage, 'items'> = { eventId, eventStatus, nextCursor, hasMore, serverTime: new Date().toISOString() };
    // The envelope around PostgreSQL's items array: `{"items":[…],…}`.
    return new EncodedResult(`{"items":${page.items},${JSON.stringify(rest).slice(1)}`);
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
}
