import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { EmailEntity, EmailKind } from './entities/email.entity';

/** The pass emails' table: written by the pass events' consumer and the resend command, settled by the deliveries. */
@Injectable()
export class EmailsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get emails(): Repository<EmailEntity> {
    return this.dataSource.getRepository(EmailEntity);
  }

  /**
   * Records the email an event asks for, in the caller's transaction (the consumer's, which records
   * the event as processed); undefined when that event's email of that kind exists already.
   */
  async insertForEvent(
    manager: EntityManager,
    input: {
      tenantId: string;
      passId: string;
      passCode: string;
      eventId: string;
      kind: EmailKind;
      to: string;
      subject: string;
      html: string;
      text: string;
      provider: EmailEntity['provider'];
    },
  ): Promise<string | undefined> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO notifications.emails
         (tenant_id, pass_id, pass_code, event_id, kind, to_address, subject, html, text, provider)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (event_id, kind) DO NOTHING RETURNING id`,
      [
        input.tenantId,
        input.passId,
        input.passCode,
        input.eventId,
        input.kind,
        input.to,
        input.subject,
        input.html,
        input.text,
        input.provider,
      ],
    );
    return rows[0]?.id;
  }

  /**
   * Copies the pass's latest issue email as a new email (its own id, so its own send and
   * Idempotency-Key), queued; undefined when the pass was never emailed.
   */
  async copyLatestIssued(tenantId: string, passId: string, provider: EmailEntity['provider']): Promise<string | undefined> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO notifications.emails (tenant_id, pass_id, pass_code, event_id, kind, to_address, subject, html, text, provider)
       SELECT tenant_id, pass_id, pass_code, gen_random_uuid(), kind, to_address, subject, html, text, $3
         FROM notifications.emails
        WHERE tenant_id = $1 AND pass_id = $2 AND kind = 'pass_issued'
        ORDER BY created_at DESC, id DESC LIMIT 1
       RETURNING id`,
      [tenantId, passId, provider],
    );
    return rows[0]?.id;
  }

  /** What was sent for one pass of one tenant, oldest first. */
  forPass(tenantId: string, passId: string): Promise<EmailEntity[]> {
    return this.emails.find({ where: { tenantId, passId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  find(id: string): Promise<EmailEntity | null> {
    return this.emails.findOneBy({ id });
  }

  findOrFail(id: string): Promise<EmailEntity> {
    return this.emails.findOneByOrFail({ id });
  }

  /** Emails still queued whose row has not changed for `afterMs` (their job may never have reached Redis), oldest first. */
  async staleQueued(afterMs: number, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM notifications.emails
        WHERE status = 'queued' AND updated_at < now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY created_at LIMIT $2`,
      [afterMs, limit],
    );
    return rows.map((row) => row.id);
  }

  async countAttempt(id: string): Promise<void> {
    await this.emails.increment({ id }, 'attempts', 1);
  }

  /** Sent or logged, unless the email is no longer queued. */
  async markSent(id: string, status: 'sent' | 'logged', provider: EmailEntity['provider'], messageId: string | null): Promise<void> {
    await this.emails.update(
      { id, status: 'queued' },
      { status, provider, providerMessageId: messageId, sentAt: new Date(), lastError: null },
    );
  }

  /** Failed for good, unless the email is no longer queued. */
  async markFailed(id: string, lastError: string): Promise<void> {
    await this.emails.update({ id, status: 'queued' }, { status: 'failed', lastError });
  }

  /** A failed attempt that will be retried. */
  async noteError(id: string, lastError: string): Promise<void> {
    await this.emails.update({ id }, { lastError });
  }
}
