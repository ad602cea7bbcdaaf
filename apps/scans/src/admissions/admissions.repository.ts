import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventStatus, EventView, PassView } from '@passway/common';
import { DataSource, EntityManager } from 'typeorm';
import { Admission, ADMISSION_SELECT, AdmissionRow, storedStatusOf, toAdmission } from './admission';

/**
 * The projection of the passes service's pass events. Two rules make it correct under redelivery
 * and reordering (docs/scans.md):
 *  - an event older (by the pass's updatedAt) than what the row already reflects changes nothing;
 *  - the usage counter is this service's own, versioned by `tally_version` (up at every redemption
 *    and undo): an event carrying an older version of it never changes the count, and never turns
 *    `used` into `active` or back (a redemption or an undo the passes service has not seen yet).
 *    A revocation, or anything from an event that has seen every change of the counter, applies.
 */
const UPSERT_SQL = `
  INSERT INTO scans.admissions AS a
    (pass_id, tenant_id, code, name, type, status, valid_from, valid_until, max_usages, usages_count, source_updated_at, event_id, holder_name,
     tally_version)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
  ON CONFLICT (pass_id) DO UPDATE SET
    code = EXCLUDED.code,
    name = EXCLUDED.name,
    type = EXCLUDED.type,
    status = CASE
      WHEN EXCLUDED.tally_version < a.tally_version AND a.status IN ('active', 'used') AND EXCLUDED.status IN ('active', 'used') THEN a.status
      ELSE EXCLUDED.status
    END,
    valid_from = EXCLUDED.valid_from,
    valid_until = EXCLUDED.valid_until,
    max_usages = EXCLUDED.max_usages,
    usages_count = CASE WHEN EXCLUDED.tally_version > a.tally_version THEN EXCLUDED.usages_count ELSE a.usages_count END,
    tally_version = GREATEST(a.tally_version, EXCLUDED.tally_version),
    source_updated_at = EXCLUDED.source_updated_at,
    event_id = EXCLUDED.event_id,
    holder_name = EXCLUDED.holder_name,
    updated_at = now()
  WHERE a.tenant_id = EXCLUDED.tenant_id AND a.source_updated_at <= EXCLUDED.source_updated_at
  RETURNING pass_id`;

@Injectable()
export class AdmissionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Applies a pass as the passes service published it; returns false when the row already reflects
   * something newer. In the caller's transaction, or in one of its own.
   *
   * A new pass can be inserted by two writers at once: a scan's read-through and the projection's
   * consumer. ON CONFLICT names one arbiter (pass_id), and the loser of such a race would fail on the
   * code's unique index instead, so a lock on the pass serialises them: the second then finds the
   * first's row and updates it by the usual rules.
   */
  async apply(pass: PassView, manager?: EntityManager): Promise<boolean> {
    if (!manager) return this.dataSource.transaction((own) => this.apply(pass, own));
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`admission:${pass.id}`]);
    const applied: unknown[] = await manager.query(UPSERT_SQL, [
      pass.id,
      pass.tenantId,
      pass.code,
      pass.name,
      pass.type,
      storedStatusOf(pass),
      pass.validFrom,
      pass.validUntil,
      pass.maxUsages,
      pass.usagesCount,
      pass.updatedAt,
      pass.eventId ?? null,
      pass.client?.name ?? null,
      // Events from before the counter had a version: it equalled the count.
      pass.tallyVersion ?? pass.usagesCount,
    ]);
    return applied.length > 0;
  }

  async findByCode(tenantId: string, code: string, manager: EntityManager = this.dataSource.manager): Promise<Admission | null> {
    const rows: AdmissionRow[] = await manager.query(`${ADMISSION_SELECT} WHERE a.code = $1 AND a.tenant_id = $2`, [code, tenantId]);
    return rows[0] ? toAdmission(rows[0]) : null;
  }

  async findById(tenantId: string, passId: string): Promise<Admission | null> {
    const rows: AdmissionRow[] = await this.dataSource.query(`${ADMISSION_SELECT} WHERE a.pass_id = $1 AND a.tenant_id = $2`, [
      passId,
      tenantId,
    ]);
    return rows[0] ? toAdmission(rows[0]) : null;
  }

  async findByIds(passIds: string[]): Promise<Map<string, Admission>> {
    if (passIds.length === 0) return new Map();
    const rows: AdmissionRow[] = await this.dataSource.query(`${ADMISSION_SELECT} WHERE a.pass_id = ANY($1::uuid[])`, [passIds]);
    return new Map(rows.map((row) => [row.pass_id, toAdmission(row)]));
  }

  async findEvent(tenantId: string, eventId: string): Promise<{ status: EventStatus } | null> {
    const rows: { status: EventStatus }[] = await this.dataSource.query(
      'SELECT status FROM scans.events WHERE id = $1 AND tenant_id = $2',
      [eventId, tenantId],
    );
    return rows[0] ?? null;
  }

  /** Applies an event's status as the passes service published it; an older update (by updatedAt) changes nothing. */
  async applyEvent(event: EventView, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO scans.events AS e (id, tenant_id, status, source_updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, source_updated_at = EXCLUDED.source_updated_at
       WHERE e.tenant_id = EXCLUDED.tenant_id AND e.source_updated_at <= EXCLUDED.source_updated_at`,
      [event.id, event.tenantId, event.status, event.updatedAt],
    );
  }
}
