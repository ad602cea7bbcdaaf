import { Injectable } from '@nestjs/common';
import { conflict, isUuid, PassEmailView } from '@passway/common';
import { EmailQueue } from './email-queue';
import { EmailTransport } from './email-transport';
import { EmailsRepository } from './emails.repository';
import { EmailEntity } from './entities/email.entity';

@Injectable()
export class EmailsService {
  constructor(
    private readonly emails: EmailsRepository,
    private readonly queue: EmailQueue,
    private readonly transport: EmailTransport,
  ) {}

  /** What was sent for one pass of one tenant, oldest first. Whether the pass exists is the gateway's check. */
  async listForPass(tenantId: string, passId: string): Promise<PassEmailView[]> {
    if (!isUuid(passId)) return [];
    const emails = await this.emails.forPass(tenantId, passId);
    return emails.map(toPassEmailView);
  }

  /**
   * The holder asked for their pass again: the latest issue email is copied as a new email (its
   * own id, so its own send and Idempotency-Key) and queued. The copy carries the same link.
   */
  async resend(tenantId: string, passId: string): Promise<PassEmailView> {
    if (!isUuid(passId)) throw conflict('this pass was never emailed: its holder has no email address', 'no_pass_email');
    const id = await this.emails.copyLatestIssued(tenantId, passId, this.transport.provider);
    if (id === undefined) throw conflict('this pass was never emailed: its holder has no email address', 'no_pass_email');
    await this.queue.enqueue([id]);
    return toPassEmailView(await this.emails.findOrFail(id));
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
