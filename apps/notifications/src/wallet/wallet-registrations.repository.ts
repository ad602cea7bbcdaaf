import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface PendingPush {
  registrationId: string;
  pushToken: string;
  passTypeId: string;
  tag: string;
  /** Failed attempts so far at this change. */
  attempts: number;
}

/** The wallet passes one change touches: one pass, every pass of an event, or every pass wearing a template. */
export type WalletPassesChanged = { passId: string } | { passIds: string[] } | { eventId: string } | { templateId: string };

/** The wallet tables' queries: registrations, update tags and the push bookkeeping. */
@Injectable()
export class WalletRegistrationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Registers a device for a pass; true when the registration is new (201), false when it was known (200). */
  async register(input: {
    deviceLibraryId: string;
    passTypeId: string;
    passId: string;
    tenantId: string;
    eventId: string | null;
    templateId: string | null;
    pushToken: string;
  }): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await this.trackPass(manager, input.passId, input.tenantId, input.eventId, input.templateId);
      const rows: { inserted: boolean }[] = await manager.query(
        `INSERT INTO notifications.wallet_registrations (device_library_id, pass_type_id, pass_id, push_token, pushed_tag)
         SELECT $1, $2, $3, $4, update_tag FROM notifications.wallet_passes WHERE pass_id = $3
         ON CONFLICT (device_library_id, pass_type_id, pass_id)
           DO UPDATE SET push_token = EXCLUDED.push_token, updated_at = now()
         RETURNING (xmax = 0) AS inserted`,
        [input.deviceLibraryId, input.passTypeId, input.passId, input.pushToken],
      );
      return rows[0]?.inserted === true;
    });
  }

  /** A pass the wallets hold: its tag starts now; later changes to it (or to its event or template) raise the tag. */
  async trackPass(
    manager: EntityManager,
    passId: string,
    tenantId: string,
    eventId: string | null,
    templateId: string | null,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO notifications.wallet_passes (pass_id, tenant_id, event_id, template_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (pass_id) DO UPDATE SET template_id = EXCLUDED.template_id`,
      [passId, tenantId, eventId, templateId],
    );
  }

  /** A pass changed templates (pass.updated): changes to its new template reach it from now on. */
  async setTemplate(manager: EntityManager, passId: string, templateId: string | null): Promise<void> {
    await manager.query('UPDATE notifications.wallet_passes SET template_id = $2 WHERE pass_id = $1 AND template_id IS DISTINCT FROM $2', [
      passId,
      templateId,
    ]);
  }

  async unregister(deviceLibraryId: string, passTypeId: string, passId: string): Promise<boolean> {
    const [, deleted] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM notifications.wallet_registrations WHERE device_library_id = $1 AND pass_type_id = $2 AND pass_id = $3`,
      [deviceLibraryId, passTypeId, passId],
    );
    return deleted > 0;
  }

  /** The device's passes of this type changed after `since` (all of them without it), and the newest tag. */
  async updatedSince(
    deviceLibraryId: string,
    passTypeId: string,
    since: bigint | null,
  ): Promise<{ serials: string[]; lastUpdated: string | null }> {
    const rows: { pass_id: string; update_tag: string }[] = await this.dataSource.query(
      `SELECT p.pass_id, p.update_tag FROM notifications.wallet_registrations r
         JOIN notifications.wallet_passes p ON p.pass_id = r.pass_id
        WHERE r.device_library_id = $1 AND r.pass_type_id = $2 AND ($3::bigint IS NULL OR p.update_tag > $3::bigint)
        ORDER BY p.update_tag`,
      [deviceLibraryId, passTypeId, since === null ? null : since.toString()],
    );
    return { serials: rows.map((row) => row.pass_id), lastUpdated: rows.length > 0 ? rows[rows.length - 1].update_tag : null };
  }

  /**
   * A change to what passes show: their tag rises, and a push is due once the coalescing window
   * after the first change of a burst has passed. Returns the passes and when their push is due.
   */
  async markChanged(manager: EntityManager, where: WalletPassesChanged, coalesceMs: number): Promise<{ passId: string; dueAt: Date }[]> {
    const [condition, value] =
      'passId' in where
        ? ['pass_id = $1', where.passId]
        : 'passIds' in where
          ? ['pass_id = ANY($1::uuid[])', where.passIds]
          : 'eventId' in where
            ? ['event_id = $1', where.eventId]
            : ['template_id = $1', where.templateId];
    // UPDATE … RETURNING answers [rows, count] through TypeORM's postgres driver.
    const [rows] = await manager.query<[{ pass_id: string; push_due_at: Date }[], number]>(
      `UPDATE notifications.wallet_passes
          SET update_tag = nextval('notifications.wallet_update_tag'), updated_at = now(),
              push_due_at = COALESCE(push_due_at, now() + make_interval(secs => $2::double precision / 1000))
        WHERE ${condition}
        RETURNING pass_id, push_due_at`,
      [value, coalesceMs],
    );
    return rows.map((row) => ({ passId: row.pass_id, dueAt: row.push_due_at }));
  }

  /**
   * Takes the pass's devices that have not seen its latest tag, each under a lease so that no
   * other worker pushes them at the same time; an expired lease (a worker that died) frees them.
   */
  async claimPending(passId: string, leaseMs: number): Promise<PendingPush[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE notifications.wallet_passes SET push_due_at = NULL WHERE pass_id = $1 AND push_due_at <= now() + interval '50 milliseconds'`,
        [passId],
      );
      const [rows] = await manager.query<
        [{ id: string; push_token: string; pass_type_id: string; update_tag: string; push_attempts: number }[], number]
      >(
        `UPDATE notifications.wallet_registrations r
            SET push_lease_until = now() + make_interval(secs => $2::double precision / 1000)
           FROM notifications.wallet_passes p
          WHERE r.pass_id = p.pass_id AND r.pass_id = $1 AND r.pushed_tag < p.update_tag
            AND (r.push_lease_until IS NULL OR r.push_lease_until < now())
            AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= now())
          RETURNING r.id, r.push_token, r.pass_type_id, p.update_tag, r.push_attempts`,
        [passId, leaseMs],
      );
      return rows.map((row) => ({
        registrationId: row.id,
        pushToken: row.push_token,
        passTypeId: row.pass_type_id,
        tag: row.update_tag,
        attempts: row.push_attempts,
      }));
    });
  }

  async markPushed(registrationIds: string[], tag: string): Promise<void> {
    if (registrationIds.length === 0) return;
    await this.dataSource.query(
      `UPDATE notifications.wallet_registrations
          SET pushed_tag = GREATEST(pushed_tag, $2::bigint), push_lease_until = NULL, push_attempts = 0, next_attempt_at = NULL, last_push_error = NULL,
              last_pushed_at = now(), updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [registrationIds, tag],
    );
  }

  /** A failure worth retrying: the lease is released and the device stays pending until `retryAt`. */
  async markRetry(registrationId: string, error: string, retryAt: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications.wallet_registrations
          SET push_lease_until = NULL, push_attempts = push_attempts + 1, last_push_error = $2, next_attempt_at = $3
        WHERE id = $1`,
      [registrationId, error, retryAt],
    );
  }

  /** A failure that retrying cannot fix: this change is given up for this device (a later change tries again). */
  async markGivenUp(registrationId: string, tag: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications.wallet_registrations
          SET pushed_tag = GREATEST(pushed_tag, $2::bigint), push_lease_until = NULL, push_attempts = 0, next_attempt_at = NULL, last_push_error = $3
        WHERE id = $1`,
      [registrationId, tag, error],
    );
  }

  /** APNs says the token is no longer valid (410): the registration goes, unless the device registered again since. */
  async removeStale(registrationId: string, unregisteredAt: Date | null): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM notifications.wallet_registrations WHERE id = $1 AND ($2::timestamptz IS NULL OR updated_at <= $2::timestamptz)`,
      [registrationId, unregisteredAt],
    );
  }

  /** Passes with devices still to push whose job may be lost: not due later, and no live lease. */
  async passesToSweep(limit: number): Promise<string[]> {
    const rows: { pass_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT p.pass_id FROM notifications.wallet_passes p
         JOIN notifications.wallet_registrations r ON r.pass_id = p.pass_id
        WHERE r.pushed_tag < p.update_tag
          AND (r.push_lease_until IS NULL OR r.push_lease_until < now())
          AND (r.next_attempt_at IS NULL OR r.next_attempt_at < now() - interval '1 second')
          AND (p.push_due_at IS NULL OR p.push_due_at < now() - interval '5 seconds')
        LIMIT ${Number(limit)}`,
    );
    return rows.map((row) => row.pass_id);
  }
}
