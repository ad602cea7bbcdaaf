import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUuid, PassEmailView } from '@passway/common';
import { DataSource } from 'typeorm';
import { EmailEntity } from './entities/email.entity';

@Injectable()
export class EmailsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** What was sent for one pass of one tenant, oldest first. Whether the pass exists is the gateway's check. */
  async listForPass(tenantId: string, passId: string): Promise<PassEmailView[]> {
    if (!isUuid(passId)) return [];
    const emails = await this.dataSource
      .getRepository(EmailEntity)
      .find({ where: { tenantId, passId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return emails.map(toPassEmailView);
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
