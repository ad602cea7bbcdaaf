import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { invalidArgument, SendAccountEmailInput } from '@passway/common';
import { DataSource } from 'typeorm';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config';
import { EmailSendError, EmailTransport } from '../emails/email-transport';
import { ACCOUNT_EMAIL_KINDS, renderAccountEmail } from './account-email-templates';

interface DueEmail {
  id: string;
  kind: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  attempts: number;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Account emails: recorded in Postgres by the gateway's command (so none is lost once the gateway
 * has its answer), then sent by a loop that claims due rows with FOR UPDATE SKIP LOCKED, retries
 * 429/5xx with exponential backoff, and erases the body (a one-time link) once the email is out.
 */
@Injectable()
export class AccountEmailsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AccountEmailsService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly transport: EmailTransport,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), Math.min(this.config.EMAIL_SWEEP_INTERVAL_MS, 5_000));
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** The SendAccountEmail command: its input is checked here, field by field. */
  async send(command: unknown): Promise<{ id: string }> {
    const input = accountEmailInput(command);
    const rendered = renderAccountEmail(input);
    await this.dataSource.query(
      `INSERT INTO notifications.account_emails (request_key, kind, to_address, subject, html, text)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (request_key) DO NOTHING`,
      [input.requestKey, input.kind, input.to, rendered.subject, rendered.html, rendered.text],
    );
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM notifications.account_emails WHERE request_key = $1`, [
      input.requestKey,
    ]);
    this.kick();
    return { id: rows[0].id };
  }

  private kick(): void {
    if (this.stopped || this.running) return;
    this.running = this.drain()
      .catch((error) => this.logger.warn(`account emails: ${(error as Error).message}`))
      .finally(() => {
        this.running = undefined;
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const sent = await this.sendOneDue();
      if (!sent) return;
    }
  }

  /** Claims and sends one due email; false when none is due. */
  private async sendOneDue(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const rows: DueEmail[] = await manager.query(
        `SELECT id, kind, to_address AS "to", subject, html, text, attempts FROM notifications.account_emails
          WHERE status = 'queued' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      const email = rows[0];
      if (!email) return false;
      try {
        const { messageId } = await this.transport.send(email);
        await manager.query(
          `UPDATE notifications.account_emails SET status = $2, attempts = attempts + 1, provider_message_id = $3, sent_at = now(),
                  last_error = NULL, html = NULL, text = NULL WHERE id = $1`,
          [email.id, this.transport.provider === 'log' ? 'logged' : 'sent', messageId],
        );
      } catch (error) {
        const reason = ((error as Error).message ?? String(error)).slice(0, 1000);
        const retryable = !(error instanceof EmailSendError) || error.retryable;
        const giveUp = !retryable || email.attempts + 1 >= this.config.EMAIL_MAX_ATTEMPTS;
        const delayMs = this.config.EMAIL_RETRY_BASE_MS * 2 ** email.attempts;
        await manager.query(
          `UPDATE notifications.account_emails SET attempts = attempts + 1, last_error = $2, status = CASE WHEN $3::boolean THEN 'failed' ELSE status END,
                  next_attempt_at = now() + make_interval(secs => $4::double precision / 1000) WHERE id = $1`,
          [email.id, reason, giveUp, delayMs],
        );
        this.logger.warn(`account email ${email.id} (${email.kind}) ${giveUp ? 'failed for good' : 'will be retried'}: ${reason}`);
      }
      return true;
    });
  }
}

const OPTIONAL_TEXT = ['name', 'organizationName', 'role', 'invitedBy'] as const;

function accountEmailInput(value: unknown): SendAccountEmailInput {
  const fields: Partial<Record<keyof SendAccountEmailInput, unknown>> = typeof value === 'object' && value !== null ? value : {};
  const { requestKey, kind, to, link } = fields;
  if (typeof requestKey !== 'string' || requestKey.length < 8 || requestKey.length > 200) {
    throw invalidArgument('requestKey must be 8 to 200 characters');
  }
  const knownKind = ACCOUNT_EMAIL_KINDS.find((known) => known === kind);
  if (!knownKind) throw invalidArgument(`kind must be one of ${ACCOUNT_EMAIL_KINDS.join(', ')}`);
  if (typeof to !== 'string' || !EMAIL_PATTERN.test(to) || to.length > 320) throw invalidArgument('to must be an email address');
  if (typeof link !== 'string' || !/^https?:\/\//.test(link)) throw invalidArgument('link must be an http(s) URL');
  const input: SendAccountEmailInput = { requestKey, kind: knownKind, to, link };
  for (const key of OPTIONAL_TEXT) {
    const text = fields[key];
    if (typeof text === 'string') input[key] = text;
  }
  return input;
}
