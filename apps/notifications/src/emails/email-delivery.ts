import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EmailEntity } from './entities/email.entity';
import { EmailSendError, EmailTransport } from './email-transport';

export type DeliveryOutcome = 'sent' | 'logged' | 'already_done' | 'failed';

/** Raised when retrying cannot help; the queue stops retrying the job. */
export class PermanentEmailFailure extends Error {}

/** One attempt at one email: send it (or log it), then record what happened on its row. */
@Injectable()
export class EmailDelivery {
  private readonly logger = new Logger(EmailDelivery.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transport: EmailTransport,
  ) {}

  async deliver(emailId: string, isLastAttempt: boolean): Promise<DeliveryOutcome> {
    const emails = this.dataSource.getRepository(EmailEntity);
    const email = await emails.findOneBy({ id: emailId });
    // Sent, logged or failed already: a job queued again by the sweeper, or a redelivered job, does nothing.
    if (!email || email.status !== 'queued') return 'already_done';
    await emails.increment({ id: emailId }, 'attempts', 1);
    try {
      const { messageId } = await this.transport.send(email);
      const status = this.transport.provider === 'log' ? 'logged' : 'sent';
      await emails.update(
        { id: emailId, status: 'queued' },
        { status, provider: this.transport.provider, providerMessageId: messageId, sentAt: new Date(), lastError: null },
      );
      return status;
    } catch (error) {
      const reason = (error as Error).message ?? String(error);
      const retryable = !(error instanceof EmailSendError) || error.retryable;
      if (!retryable || isLastAttempt) {
        await emails.update({ id: emailId, status: 'queued' }, { status: 'failed', lastError: truncate(reason) });
        this.logger.warn(`email ${emailId} failed for good: ${reason}`);
        if (!retryable) throw new PermanentEmailFailure(reason);
        throw error;
      }
      await emails.update({ id: emailId }, { lastError: truncate(reason) });
      this.logger.warn(`email ${emailId} not sent yet, will retry: ${reason}`);
      throw error;
    }
  }
}

function truncate(text: string): string {
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}
