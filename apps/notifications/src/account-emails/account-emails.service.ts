import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { invalidArgument, SendAccountEmailInput } from '@passway/common';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config';
import { EmailSendError, EmailTransport } from '../emails/email-transport';
import { ACCOUNT_EMAIL_KINDS, renderAccountEmail } from './account-email-templates';
import { AccountEmailsRepository } from './account-emails.repository';

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
    private readonly emails: AccountEmailsRepository,
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
    const id = await this.emails.record({
      requestKey: input.requestKey,
      kind: input.kind,
      to: input.to,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
    });
    this.kick();
    return { id };
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
    return this.emails.transaction(async (manager) => {
      const email = await this.emails.claimDue(manager);
      if (!email) return false;
      try {
        const { messageId } = await this.transport.send(email);
        await this.emails.markSent(manager, email.id, this.transport.provider === 'log' ? 'logged' : 'sent', messageId);
      } catch (error) {
        const reason = ((error as Error).message ?? String(error)).slice(0, 1000);
        const retryable = !(error instanceof EmailSendError) || error.retryable;
        const giveUp = !retryable || email.attempts + 1 >= this.config.EMAIL_MAX_ATTEMPTS;
        const delayMs = this.config.EMAIL_RETRY_BASE_MS * 2 ** email.attempts;
        await this.emails.markAttemptFailed(manager, email.id, reason, giveUp, delayMs);
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
