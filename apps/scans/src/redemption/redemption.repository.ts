import { Inject, Injectable } from '@nestjs/common';
import { CheckInMethod, eventHeader, PassScannedValue, RequestContext, ScanChannel, ScanOutcome, topicFor } from '@passway/common';
import type { Pool } from 'pg';
import { Admission, ADMISSION_COLUMNS, AdmissionRow } from '../admissions/admission';
import { SCANS_POOL } from '../database/scans-database';

const PASS_SCANNED_TOPIC = topicFor('pass.scanned');

/**
 * The pass.scanned event's data, the one place it is built: each field in SQL over the scan record
 * `s` (scans.scans, as just inserted) and the pass `p` (its scans.admissions row). The redemption
 * and the refusal below both publish it, so every pass.scanned event has this shape.
 */
const PASS_SCANNED_DATA: Record<keyof PassScannedValue, string> = {
  id: 's.id',
  passId: 's.pass_id',
  code: 's.code',
  passName: 'p.name',
  holderName: 'p.holder_name',
  passType: 'p.type',
  success: 's.success',
  result: 's.result',
  usagesCount: 's.usages_count',
  maxUsages: 'p.max_usages',
  passStatus: 's.pass_status',
  scannedAt: `to_char(s.scanned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  channel: 's.channel',
  method: 's.method',
  eventId: 'p.event_id',
  tallyVersion: 'p.tally_version',
};
const PASS_SCANNED_DATA_SQL = `jsonb_build_object(${Object.entries(PASS_SCANNED_DATA)
  .map(([field, sql]) => `'${field}', ${sql}`)
  .join(', ')})`;

/**
 * The whole successful redemption in one statement, so one round trip and atomic without an
 * explicit transaction: the conditional increment (row lock: concurrent scans of one pass
 * queue here and re-check the WHERE against the committed row, so N racing scans of a single
 * pass give exactly one success and of a multi pass exactly maxUsages), the scan record, and
 * the pass.scanned event in the outbox. The WHERE clause is refusalOf() in SQL.
 * $3 is the moment the validity window is checked at: now, or an offline scan's scannedAt.
 * $5 is the channel (online/offline), $11 the check-in method; $8-$10 the event's id, topic and envelope.
 */
export const REDEEM_SQL = `
  WITH redeemed AS (
    UPDATE scans.admissions
       SET usages_count = usages_count + 1,
           tally_version = tally_version + 1,
           status = CASE WHEN type = 'single' THEN 'used' ELSE status END,
           updated_at = now()
     WHERE code = $1 AND tenant_id = $2
       AND status = 'active'
       AND (valid_from IS NULL OR valid_from <= $3::timestamptz)
       AND (valid_until IS NULL OR valid_until >= $3::timestamptz)
       AND (max_usages IS NULL OR usages_count < max_usages)
       AND (event_id IS NULL OR NOT EXISTS (SELECT 1 FROM scans.events e WHERE e.id = scans.admissions.event_id AND e.status = 'suspended'))
    RETURNING ${ADMISSION_COLUMNS}, holder_name, tally_version, false AS event_suspended
  ), recorded AS (
    INSERT INTO scans.scans (id, tenant_id, pass_id, code, result, success, channel, method, nonce, api_key_id, usages_count, pass_status, scanned_at)
    SELECT $4, tenant_id, pass_id, code, 'success', true, $5, $11, $6, $7, usages_count, status, $3::timestamptz FROM redeemed
    RETURNING *
  ), published AS (
    INSERT INTO scans.outbox (id, topic, key, type, payload, headers)
    SELECT $8, $9, s.pass_id::text, 'pass.scanned', $10::jsonb || jsonb_build_object('data', ${PASS_SCANNED_DATA_SQL}), $12::jsonb
      FROM recorded s JOIN redeemed p ON p.pass_id = s.pass_id
  )
  SELECT * FROM redeemed`;

/** A refused scan is recorded and published too (door staff see failed attempts). */
const RECORD_REFUSAL_SQL = `
  WITH recorded AS (
    INSERT INTO scans.scans (id, tenant_id, pass_id, code, result, success, channel, method, nonce, api_key_id, usages_count, pass_status, scanned_at)
    VALUES ($1, $2, $3, $4, $5, false, $6, $15, $7, $8, $9, $10, $11)
    RETURNING *
  )
  INSERT INTO scans.outbox (id, topic, key, type, payload, headers)
  SELECT $12, $13, s.pass_id::text, 'pass.scanned', $14::jsonb || jsonb_build_object('data', ${PASS_SCANNED_DATA_SQL}), $16::jsonb
    FROM recorded s JOIN scans.admissions p ON p.pass_id = s.pass_id`;

/** A scan as its record stores it: its id, the moment it is judged at, and how it came. */
export interface ScanAttempt {
  id: string;
  at: Date;
  channel: ScanChannel;
  method: CheckInMethod;
  nonce: string | null;
  apiKeyId: string | null;
}

/**
 * The scan path's statements, on the scan path's own pg pool (SCANS_POOL): a redemption and a
 * refusal, each recorded with its pass.scanned event in one statement.
 */
@Injectable()
export class RedemptionRepository {
  constructor(@Inject(SCANS_POOL) private readonly pool: Pool) {}

  /** REDEEM_SQL: the admission as the redemption left it, or null when nothing was updated (refused, or unknown to the projection). */
  async redeem(tenantId: string, code: string, scan: ScanAttempt): Promise<AdmissionRow | null> {
    const event = eventHeader('pass.scanned', tenantId);
    // Named: each pooled connection parses and plans it once (as pgbench -M prepared does).
    const { rows } = await this.pool.query<AdmissionRow>({ name: 'scans-redeem', text: REDEEM_SQL }, [
      code,
      tenantId,
      scan.at.toISOString(),
      scan.id,
      scan.channel,
      scan.nonce,
      scan.apiKeyId,
      event.id,
      PASS_SCANNED_TOPIC,
      JSON.stringify(event),
      scan.method,
      JSON.stringify(RequestContext.eventHeaders()),
    ]);
    return rows[0] ?? null;
  }

  /** Records a refused scan of the admission, with the pass's status as shown, and its pass.scanned event. */
  async recordRefusal(
    admission: Admission,
    result: Exclude<ScanOutcome['result'], 'success'>,
    passStatus: string,
    scan: ScanAttempt,
  ): Promise<void> {
    const event = eventHeader('pass.scanned', admission.tenantId);
    await this.pool.query(RECORD_REFUSAL_SQL, [
      scan.id,
      admission.tenantId,
      admission.passId,
      admission.code,
      result,
      scan.channel,
      scan.nonce,
      scan.apiKeyId,
      admission.usagesCount,
      passStatus,
      scan.at.toISOString(),
      event.id,
      PASS_SCANNED_TOPIC,
      JSON.stringify(event),
      scan.method,
      JSON.stringify(RequestContext.eventHeaders()),
    ]);
  }
}
