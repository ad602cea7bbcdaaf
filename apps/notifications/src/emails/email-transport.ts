import { Logger } from '@nestjs/common';
import { passQrPng } from '@passway/common';
import { Resend } from 'resend';
import { QR_CONTENT_ID } from './email-templates';
import { EmailEntity } from './entities/email.entity';

/** A holder email (with its pass code) or an account email (sign-up, password reset, invitation). */
export type OutgoingEmail = Pick<EmailEntity, 'id' | 'to' | 'subject' | 'html' | 'text'> & { kind: string; passCode?: string };

/** A send that did not happen; `retryable` says whether trying again later may succeed. */
export class EmailSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly statusCode: number | null,
  ) {
    super(message);
    this.name = 'EmailSendError';
  }
}

export abstract class EmailTransport {
  abstract readonly provider: 'resend' | 'log';
  /** Sends one email; the same email.id on every attempt lets the provider drop duplicates. */
  abstract send(email: OutgoingEmail): Promise<{ messageId: string | null }>;
}

/** 429, 5xx, no answer at all, or Resend still busy with the same idempotency key: worth another try. */
export function isRetryableStatus(statusCode: number | null, name?: string): boolean {
  if (statusCode === null) return true;
  if (statusCode === 409 && name === 'concurrent_idempotent_requests') return true;
  return statusCode === 429 || statusCode >= 500;
}

async function attachmentsFor(email: OutgoingEmail) {
  if (email.kind !== 'pass_issued' || !email.passCode) return undefined;
  return [{ filename: 'pass-qr.png', content: await passQrPng(email.passCode), contentType: 'image/png', contentId: QR_CONTENT_ID }];
}

export class ResendTransport extends EmailTransport {
  readonly provider = 'resend' as const;
  private readonly resend: Resend;

  constructor(
    apiKey: string,
    baseUrl: string,
    private readonly from: string,
    private readonly timeoutMs: number,
  ) {
    super();
    this.resend = new Resend(apiKey, { baseUrl });
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string | null }> {
    const { data, error } = await this.resend.emails.send(
      {
        from: this.from,
        to: [email.to],
        subject: email.subject,
        html: email.html,
        text: email.text,
        attachments: await attachmentsFor(email),
        tags: [{ name: 'kind', value: email.kind }],
      },
      // Resend keeps an idempotency key for 24 h: a retry after a crash between its answer and our commit sends nothing new.
      { idempotencyKey: email.id, signal: AbortSignal.timeout(this.timeoutMs) },
    );
    if (error) {
      const status = typeof error.statusCode === 'number' ? error.statusCode : null;
      throw new EmailSendError(
        `resend ${status ?? 'unreachable'}: ${error.name}: ${error.message}`,
        isRetryableStatus(status, error.name),
        status,
      );
    }
    return { messageId: data?.id ?? null };
  }
}

/** EMAIL_PROVIDER=log: the rendered email goes to the log (and stays in the emails table) instead of out. */
export class LogTransport extends EmailTransport {
  readonly provider = 'log' as const;
  private readonly logger = new Logger('EmailLog');

  send(email: OutgoingEmail): Promise<{ messageId: string | null }> {
    this.logger.log(
      `email ${email.id} (${email.kind}) not sent, EMAIL_PROVIDER=log\nTo: ${email.to}\nSubject: ${email.subject}\n\n${email.text}`,
    );
    return Promise.resolve({ messageId: null });
  }
}
