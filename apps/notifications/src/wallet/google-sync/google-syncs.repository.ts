import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface GoogleSync {
  id: string;
  targetType: string;
  targetId: string;
  body: Record<string, unknown>;
  status: string;
  attempts: number;
}

/** Google Wallet objects a save link was issued for, and the PATCHes their changes owe Google. */
@Injectable()
export class GoogleSyncsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async track(input: {
    passId: string;
    tenantId: string;
    eventId: string | null;
    objectType: string;
    objectId: string;
    classId: string;
  }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notifications.wallet_passes (pass_id, tenant_id, event_id, google_object_type, google_object_id, google_class_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (pass_id) DO UPDATE SET google_object_type = EXCLUDED.google_object_type, google_object_id = EXCLUDED.google_object_id,
         google_class_id = EXCLUDED.google_class_id`,
      [input.passId, input.tenantId, input.eventId, input.objectType, input.objectId, input.classId],
    );
  }

  /** The pass's Google object, if a save link was ever issued for it. */
  async objectOf(manager: EntityManager, passId: string): Promise<{ type: string; id: string } | null> {
    const rows: { google_object_type: string; google_object_id: string }[] = await manager.query(
      `SELECT google_object_type, google_object_id FROM notifications.wallet_passes WHERE pass_id = $1 AND google_object_id IS NOT NULL`,
      [passId],
    );
    return rows[0] ? { type: rows[0].google_object_type, id: rows[0].google_object_id } : null;
  }

  /** The event's Google class, if any of its passes has a Google object. */
  async classOfEvent(manager: EntityManager, eventId: string): Promise<string | null> {
    const rows: { google_class_id: string }[] = await manager.query(
      `SELECT google_class_id FROM notifications.wallet_passes WHERE event_id = $1 AND google_class_id IS NOT NULL LIMIT 1`,
      [eventId],
    );
    return rows[0]?.google_class_id ?? null;
  }

  /** Records the PATCH a consumed event owes Google; none twice for one event. Returns its id when new. */
  async plan(
    manager: EntityManager,
    input: { tenantId: string; eventId: string; targetType: string; targetId: string; body: Record<string, unknown> },
  ): Promise<string | null> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO notifications.wallet_google_syncs (tenant_id, source_event_id, target_type, target_id, body)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source_event_id, target_id) DO NOTHING RETURNING id`,
      [input.tenantId, input.eventId, input.targetType, input.targetId, JSON.stringify(input.body)],
    );
    return rows[0]?.id ?? null;
  }

  async find(id: string): Promise<GoogleSync | null> {
    const rows: { id: string; target_type: string; target_id: string; body: Record<string, unknown>; status: string; attempts: number }[] =
      await this.dataSource.query(
        `SELECT id, target_type, target_id, body, status, attempts FROM notifications.wallet_google_syncs WHERE id = $1`,
        [id],
      );
    const row = rows[0];
    return row
      ? { id: row.id, targetType: row.target_type, targetId: row.target_id, body: row.body, status: row.status, attempts: row.attempts }
      : null;
  }

  /** A later change of the same target was recorded: this one's state is out of date, and PATCHing it could undo the later one. */
  async isSuperseded(sync: GoogleSync): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM notifications.wallet_google_syncs mine JOIN notifications.wallet_google_syncs later
         ON later.target_id = mine.target_id AND (later.created_at, later.id) > (mine.created_at, mine.id)
        WHERE mine.id = $1 LIMIT 1`,
      [sync.id],
    );
    return rows.length > 0;
  }

  async finish(id: string, status: 'done' | 'superseded' | 'failed', error: string | null = null): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications.wallet_google_syncs SET status = $2, last_error = $3, attempts = attempts + CASE WHEN $2 = 'superseded' THEN 0 ELSE 1 END, updated_at = now()
        WHERE id = $1 AND status = 'queued'`,
      [id, status, error],
    );
  }

  async failedAttempt(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications.wallet_google_syncs SET attempts = attempts + 1, last_error = $2, updated_at = now() WHERE id = $1`,
      [id, error],
    );
  }

  async stale(afterMs: number, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM notifications.wallet_google_syncs
        WHERE status = 'queued' AND updated_at < now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY created_at LIMIT ${Number(limit)}`,
      [afterMs],
    );
    return rows.map((row) => row.id);
  }
}
