import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CONSUMER_GROUPS, consumerGroupId, DomainEvent, EventConsumer, EventUpdatedValue, KAFKA, PassScannedValue, PassView,
} from '@passway/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config';
import { NOTIFICATIONS_SCHEMA } from '../database/notifications-database';
import { WalletPushQueue } from './apple-push/wallet-push.queue';
import { WalletRegistrationsRepository } from './wallet-registrations.repository';

/** Event fields a wallet pass shows: a change to any of them updates every pass of the event. */
const SHOWN_EVENT_FIELDS = new Set(['name', 'startsAt', 'endsAt', 'venue', 'branding', 'timezone']);

/** Which wallet passes an event changes, if any. */
export function changedWalletPasses(event: DomainEvent): { passId: string } | { eventId: string } | null {
  switch (event.type) {
    case 'pass.updated':
    case 'pass.status_changed':
      return { passId: (event.data as PassView).id };
    case 'pass.scanned': {
      // A single pass's first admission arrives as pass.status_changed (used); a multi pass's counter changes here.
      const scan = event.data as PassScannedValue;
      return scan.success && scan.passType === 'multi' ? { passId: scan.passId } : null;
    }
    case 'event.updated': {
      const change = event.data as EventUpdatedValue;
      return change.changedFields.some((field) => SHOWN_EVENT_FIELDS.has(field)) ? { eventId: change.id } : null;
    }
    default:
      return null;
  }
}

/**
 * Consumes what changes a wallet pass: the pass's tag rises in the same transaction that records
 * the event as processed (a redelivered event raises nothing and pushes nothing), and the push
 * round is scheduled after commit for the end of the coalescing window.
 */
@Injectable()
export class WalletChangeConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WalletChangeConsumer.name);
  private consumer: EventConsumer | undefined;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly registrations: WalletRegistrationsRepository,
    private readonly pushes: WalletPushQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new EventConsumer({
      kafka: this.kafka,
      dataSource: this.dataSource,
      schema: NOTIFICATIONS_SCHEMA,
      groupId: consumerGroupId(this.config.KAFKA_CLIENT_ID_PREFIX, CONSUMER_GROUPS.notificationsWallet),
      topics: [...CONSUMER_GROUPS.notificationsWallet.topics],
      types: ['pass.updated', 'pass.status_changed', 'pass.scanned', 'event.updated'],
      maxWaitTimeInMs: this.config.KAFKA_MAX_WAIT_MS,
      partitionsConsumedConcurrently: 3,
      handle: async (event, manager) => {
        const target = changedWalletPasses(event);
        if (!target) return undefined;
        const changed = await this.registrations.markChanged(manager, target, this.config.WALLET_PUSH_COALESCE_MS);
        return changed.length > 0 ? () => this.pushes.schedule(changed) : undefined;
      },
    });
    await this.consumer.start();
    this.logger.log(`consuming pass and event changes for wallet passes; Apple pushes go through ${this.pushes.mode}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
