import { Inject, Injectable } from '@nestjs/common';
import {
  CheckInMethod,
  EventScanStatsView,
  EventScope,
  ListScansQueryDto,
  Page,
  pageWindow,
  PageQueryDto,
  ScanChannel,
  ScanRecordView,
  ScanResult,
} from '@passway/common';
import type { Pool } from 'pg';
import { SCANS_POOL } from '../database/scans-database';

export interface ScanRow {
  id: string;
  tenant_id: string;
  pass_id: string;
  code: string;
  result: ScanResult;
  success: boolean;
  channel: ScanChannel;
  method: CheckInMethod;
  api_key_id: string | null;
  nonce: string | null;
  usages_count: number;
  pass_status: string;
  scanned_at: Date;
  recorded_at: Date;
  undone_at: Date | null;
  undo_reason: string | null;
  /** Only where listed (the pass's holder, from the admissions projection). */
  holder_name?: string | null;
}

const SCAN_COLUMNS =
  'id, tenant_id, pass_id, code, result, success, channel, method, api_key_id, nonce, usages_count, pass_status, scanned_at, recorded_at, undone_at, undo_reason';

/** The scans table: every attempt at the door, successful or not, newest first. */
@Injectable()
export class ScanRecordsRepository {
  constructor(@Inject(SCANS_POOL) private readonly pool: Pool) {}

  async findByNonces(tenantId: string, nonces: string[]): Promise<Map<string, ScanRow>> {
    const { rows } = await this.pool.query<ScanRow>(
      `SELECT ${SCAN_COLUMNS} FROM scans.scans WHERE tenant_id = $1 AND nonce = ANY($2::text[])`,
      [tenantId, nonces],
    );
    return new Map(rows.map((row) => [row.nonce!, row]));
  }

  listForPass(tenantId: string, passId: string, query: PageQueryDto): Promise<Page<ScanRecordView>> {
    return this.page(query, ['tenant_id = $1', 'pass_id = $2'], [tenantId, passId]);
  }

  list(tenantId: string, query: ListScansQueryDto, scope?: EventScope): Promise<Page<ScanRecordView>> {
    const where = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    if (scope !== undefined) {
      params.push([...scope]);
      where.push(`pass_id IN (SELECT pass_id FROM scans.admissions WHERE tenant_id = $1 AND event_id = ANY($${params.length}::uuid[]))`);
    }
    if (query.since) {
      params.push(query.since);
      where.push(`scanned_at > $${params.length}::timestamptz`);
    }
    if (query.result) {
      params.push(query.result);
      where.push(`result = $${params.length}`);
    }
    if (query.eventId) {
      params.push(query.eventId);
      where.push(`pass_id IN (SELECT pass_id FROM scans.admissions WHERE tenant_id = $1 AND event_id = $${params.length}::uuid)`);
    }
    return this.page(query, where, params);
  }

  /** Scans of an event's passes by result, and successful ones per UTC hour. */
  async eventStats(tenantId: string, eventId: string): Promise<EventScanStatsView> {
    const ofEvent = `FROM scans.scans s JOIN scans.admissions a ON a.pass_id = s.pass_id
                     WHERE s.tenant_id = $1 AND a.tenant_id = $1 AND a.event_id = $2`;
    const [byResult, byHour] = await Promise.all([
      this.pool.query<{ result: string; scans: number }>(`SELECT s.result, count(*)::int AS scans ${ofEvent} GROUP BY s.result`, [
        tenantId,
        eventId,
      ]),
      this.pool.query<{ hour: string; scans: number }>(
        `SELECT to_char(date_trunc('hour', s.scanned_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:00:00.000"Z"') AS hour, count(*)::int AS scans
         ${ofEvent} AND s.success GROUP BY 1 ORDER BY 1`,
        [tenantId, eventId],
      ),
    ]);
    return {
      scansByResult: Object.fromEntries(byResult.rows.map((row) => [row.result, row.scans])),
      byHour: byHour.rows.map((row) => ({ hour: row.hour, scans: row.scans })),
    };
  }

  private async page(query: PageQueryDto, where: string[], params: unknown[]): Promise<Page<ScanRecordView>> {
    const { page, limit, offset } = pageWindow(query);
    const condition = where.join(' AND ');
    const [{ rows }, count] = await Promise.all([
      this.pool.query<ScanRow>(
        `SELECT ${SCAN_COLUMNS}, (SELECT a.holder_name FROM scans.admissions a WHERE a.pass_id = scans.scans.pass_id) AS holder_name
           FROM scans.scans WHERE ${condition}
         ORDER BY scanned_at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, limit, offset],
      ),
      this.pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM scans.scans WHERE ${condition}`, params),
    ]);
    return { items: rows.map(toRecordView), total: count.rows[0].total, page, limit };
  }
}

export function toRecordView(row: ScanRow): ScanRecordView {
  return {
    id: row.id,
    passId: row.pass_id,
    code: row.code,
    holderName: row.holder_name ?? null,
    success: row.success,
    result: row.result,
    channel: row.channel,
    method: row.method,
    apiKeyId: row.api_key_id,
    nonce: row.nonce,
    usagesCount: row.usages_count,
    passStatus: row.pass_status,
    scannedAt: row.scanned_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    undoneAt: row.undone_at ? row.undone_at.toISOString() : null,
    undoReason: row.undo_reason,
  };
}
