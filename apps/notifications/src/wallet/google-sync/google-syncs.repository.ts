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
    templateId: string | null;
    objectType: string;
    objectId: string;
    classId: string;
  }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO notifications.wallet_passes (pass_id, tenant_id, event_id, template_id, google_object_type, google_object_id, google_class_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (pass_id) DO UPDATE SET google_object_type = EXCLUDED.google_object_type, google_object_id = EXCLUDED.google_object_id,
         google_class_id = EXCLUDED.google_class_id, template_id = EXCLUDED.template_id`,
      [input.passId, input.tenantId, input.eventId, input.templateId, input.objectType, input.objectId, input.classId],
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

  /**
   * Records the PATCH a template's change owes every Google object of its passes, one row per object
   * in one statement (a template may dress many passes); `bodies` by object type, a type without a
   * body is skipped. None twice for one event. Returns the new rows' ids.
   */
  async planForTemplate(
    manager: EntityManager,
    input: {
      tenantId: string;
      eventId: string;
      templateId: string;
      bodies: Record<'eventTicketObject' | 'genericObject', Record<string, unknown> | null>;
    },
  ): Promise<string[]> {
    const { eventTicketObject, genericObject } = input.bodies;
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO notifications.wallet_google_syncs (tenant_id, source_event_id, target_type, target_id, body)
       SELECT tenant_id, $2, google_object_type, google_object_id, body
         FROM (SELECT tenant_id, google_object_type, google_object_id,
                      CASE google_object_type WHEN 'eventTicketObject' THEN $4::jsonb WHEN 'genericObject' THEN $5::jsonb END AS body
                 FROM notifications.wallet_passes
                WHERE template_id = $3 AND tenant_id = $1 AND google_object_id IS NOT NULL) owed
        WHERE body IS NOT NULL
       ON CONFLICT (source_event_id, target_id) DO NOTHING RETURNING id`,
      [
        input.tenantId,
        input.eventId,
        input.templateId,
        eventTicketObject ? JSON.stringify(eventTicketObject) : null,
        genericObject ? JSON.stringify(genericObject) : null,
      ],
    );
    return rows.map((row) => row.id);
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

  /**
   * A later change of the same kind to the same target was recorded: this one's state is out of
   * date, and PATCHing it could undo the later one. An object is PATCHed for two kinds of change
   * that set different fields: the pass's own (`state`, validity, holder, text; the body always has
   * `state`) and its template's look (colour, logo; never `state`). A later one of the other kind
   * leaves this one's fields alone, so it does not overtake it. A class has one kind of PATCH.
   */
  async isSuperseded(sync: GoogleSync): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM notifications.wallet_google_syncs mine JOIN notifications.wallet_google_syncs later
         ON later.target_id = mine.target_id AND (later.created_at, later.id) > (mine.created_at, mine.id)
            AND (later.body ? 'state') = (mine.body ? 'state')
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
