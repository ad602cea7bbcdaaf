import { Injectable, Logger } from '@nestjs/common';
import { EmailSendError, EmailTransport } from './email-transport';
import { EmailsRepository } from './emails.repository';

export type DeliveryOutcome = 'sent' | 'logged' | 'already_done' | 'failed';

/** Raised when retrying cannot help; the queue stops retrying the job. */
export class PermanentEmailFailure extends Error {}

/** One attempt at one email: send it (or log it), then record what happened on its row. */
@Injectable()
export class EmailDelivery {
  private readonly logger = new Logger(EmailDelivery.name);

  constructor(
    private readonly emails: EmailsRepository,
    private readonly transport: EmailTransport,
  ) {}

  async deliver(emailId: string, isLastAttempt: boolean): Promise<DeliveryOutcome> {
    const email = await this.emails.find(emailId);
    // Sent, logged or failed already: a job queued again by the sweeper, or a redelivered job, does nothing.
    if (!email || email.status !== 'queued') return 'already_done';
    await this.emails.countAttempt(emailId);
    try {
      const { messageId } = await this.transport.send(email);
      const status = this.transport.provider === 'log' ? 'logged' : 'sent';
      await this.emails.markSent(emailId, status, this.transport.provider, messageId);
      return status;
    } catch (error) {
      const reason = (error as Error).message ?? String(error);
      const retryable = !(error instanceof EmailSendError) || error.retryable;
      if (!retryable || isLastAttempt) {
        await this.emails.markFailed(emailId, truncate(reason));
        this.logger.warn(`email ${emailId} failed for good: ${reason}`);
        if (!retryable) throw new PermanentEmailFailure(reason);
        throw error;
      }
      await this.emails.noteError(emailId, truncate(reason));
      this.logger.warn(`email ${emailId} not sent yet, will retry: ${reason}`);
      throw error;
    }
  }
}

function truncate(text: string): string {
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}
