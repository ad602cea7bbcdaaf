import { Injectable } from '@nestjs/common';
import { DatabaseRepository } from '@passway/common';
import { EntityManager } from 'typeorm';

export interface DueAccountEmail {
  id: string;
  kind: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attempts: number;
}

/** The account emails' table: recorded by the gateway's command, claimed and settled by the send loop. */
@Injectable()
export class AccountEmailsRepository extends DatabaseRepository {
  /** Records the email once per request key (a repeated command records nothing); the id of the key's email. */
  async record(input: { requestKey: string; kind: string; to: string; subject: string; html: string; text: string }): Promise<string> {
    await this.dataSource.query(
      `INSERT INTO notifications.account_emails (request_key, kind, to_address, subject, html, text)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (request_key) DO NOTHING`,
      [input.requestKey, input.kind, input.to, input.subject, input.html, input.text],
    );
    const rows = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM notifications.account_emails WHERE request_key = $1`, [
      input.requestKey,
    ]);
    return rows[0].id;
  }

  /** The next due email, locked for the caller's transaction; one another sender holds is skipped. */
  async claimDue(manager: EntityManager): Promise<DueAccountEmail | undefined> {
    const rows = await manager.query<DueAccountEmail[]>(
      `SELECT id, kind, to_address AS "to", subject, html, text, attempts FROM notifications.account_emails
        WHERE status = 'queued' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return rows[0];
  }

  /** Sent (or logged): the body, a one-time link, is erased. */
  async markSent(manager: EntityManager, id: string, status: 'sent' | 'logged', messageId: string | null): Promise<void> {
    await manager.query(
      `UPDATE notifications.account_emails SET status = $2, attempts = attempts + 1, provider_message_id = $3, sent_at = now(),
              last_error = NULL, html = NULL, text = NULL WHERE id = $1`,
      [id, status, messageId],
    );
  }

  /** A failed attempt: tried again after `delayMs`, or failed for good when `giveUp`. */
  async markAttemptFailed(manager: EntityManager, id: string, reason: string, giveUp: boolean, delayMs: number): Promise<void> {
    await manager.query(
      `UPDATE notifications.account_emails SET attempts = attempts + 1, last_error = $2, status = CASE WHEN $3::boolean THEN 'failed' ELSE status END,
              next_attempt_at = now() + make_interval(secs => $4::double precision / 1000) WHERE id = $1`,
      [id, reason, giveUp, delayMs],
    );
  }
}
