import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { conflict, isUuid, PassEmailView } from '@passway/common';
import { DataSource } from 'typeorm';
import { EmailQueue } from './email-queue';
import { EmailTransport } from './email-transport';
import { EmailEntity } from './entities/email.entity';

@Injectable()
export class EmailsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: EmailQueue,
    private readonly transport: EmailTransport,
  ) {}

  /** What was sent for one pass of one tenant, oldest first. Whether the pass exists is the gateway's check. */
  async listForPass(tenantId: string, passId: string): Promise<PassEmailView[]> {
    if (!isUuid(passId)) return [];
    const emails = await this.dataSource
      .getRepository(EmailEntity)
      .find({ where: { tenantId, passId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return emails.map(toPassEmailView);
  }

  /**
   * The holder asked for their pass again: the latest issue email is copied as a new email (its
   * own id, so its own send and Idempotency-Key) and queued. The copy carries the same link.
   */
  async resend(tenantId: string, passId: string): Promise<PassEmailView> {
    if (!isUuid(passId)) throw conflict('this pass was never emailed: its holder has no email address', 'no_pass_email');
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO notifications.emails (tenant_id, pass_id, pass_code, event_id, kind, to_address, subject, html, text, provider)
       SELECT tenant_id, pass_id, pass_code, gen_random_uuid(), kind, to_address, subject, html, text, $3
         FROM notifications.emails
        WHERE tenant_id = $1 AND pass_id = $2 AND kind = 'pass_issued'
        ORDER BY created_at DESC, id DESC LIMIT 1
       RETURNING id`,
      [tenantId, passId, this.transport.provider],
    );
    if (rows.length === 0) throw conflict('this pass was never emailed: its holder has no email address', 'no_pass_email');
    await this.queue.enqueue([rows[0].id]);
    return toPassEmailView(await this.dataSource.getRepository(EmailEntity).findOneByOrFail({ id: rows[0].id }));
  }
}

export function toPassEmailView(email: EmailEntity): PassEmailView {
  return {
    id: email.id,
    kind: email.kind,
    to: email.to,
    subject: email.subject,
    status: email.status,
    provider: email.provider,
    providerMessageId: email.providerMessageId,
    attempts: email.attempts,
    lastError: email.lastError,
    createdAt: email.createdAt.toISOString(),
    sentAt: email.sentAt?.toISOString() ?? null,
  };
}
