import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CONSUMER_GROUPS, DomainEvent, EventConsumer, EventConsumers, OfferedWallets, PassCreatedValue } from '@passway/common';
import { EntityManager } from 'typeorm';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config';
import { EmailQueue } from './email-queue';
import { RenderedEmail, renderPassIssued, renderPassRevoked } from './email-templates';
import { EmailTransport } from './email-transport';
import { EmailsRepository } from './emails.repository';
import { EmailKind } from './entities/email.entity';

interface PlannedEmail {
  kind: EmailKind;
  to: string;
  rendered: RenderedEmail;
  pass: PassCreatedValue;
}

type PassEmailEvent = DomainEvent<'pass.created' | 'pass.status_changed'>;

/** Which email, if any, an event asks for: only passes whose client has an email address get one. */
export function planEmail(event: PassEmailEvent, wallets: OfferedWallets = { apple: false, google: false }): PlannedEmail | null {
  const pass = event.data;
  const to = pass.client?.email;
  if (!to || typeof pass.code !== 'string') return null;
  const branding = pass.branding ?? null;
  switch (event.type) {
    case 'pass.created':
      return { kind: 'pass_issued', to, rendered: renderPassIssued(pass, branding, wallets), pass };
    case 'pass.status_changed':
      if (event.data.status === 'revoked' && event.data.previousStatus !== 'revoked') {
        return { kind: 'pass_revoked', to, rendered: renderPassRevoked(pass, branding), pass };
      }
      return null;
  }
}

/**
 * Consumes pass events into emails. The email row is written in the same transaction that records
 * the event as processed, so a redelivered event writes nothing; the job is queued after commit,
 * and the queue's sweeper covers a crash in between.
 */
@Injectable()
export class PassEmailConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PassEmailConsumer.name);
  private consumer: EventConsumer<PassEmailEvent['type']> | undefined;

  constructor(
    private readonly consumers: EventConsumers,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly queue: EmailQueue,
    private readonly transport: EmailTransport,
    private readonly emails: EmailsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = this.consumers.create({
      group: CONSUMER_GROUPS.notificationsPassEmails,
      types: ['pass.created', 'pass.status_changed'],
      handle: async (event, manager) => {
        const id = await this.record(event, manager);
        return id ? () => this.queue.enqueue([id]) : undefined;
      },
    });
    await this.consumer.start();
    this.logger.debug(`consuming pass events; emails go through ${this.transport.provider}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async record(event: PassEmailEvent, manager: EntityManager): Promise<string | undefined> {
    const planned = planEmail(event, { apple: this.config.apple !== null, google: this.config.google !== null });
    if (!planned) return undefined;
    const { kind, to, rendered, pass } = planned;
    return this.emails.insertForEvent(manager, {
      tenantId: event.tenantId,
      passId: pass.id,
      passCode: pass.code,
      eventId: event.id,
      kind,
      to,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      provider: this.transport.provider,
    });
  }
}
