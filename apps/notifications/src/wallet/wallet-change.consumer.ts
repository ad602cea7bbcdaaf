import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AfterCommit,
  CONSUMER_GROUPS,
  consumerGroupId,
  DomainEvent,
  EventConsumer,
  EventUpdatedValue,
  googleEventClassPatch,
  googleObjectPatch,
  KAFKA,
  Readiness,
} from '@passway/common';
import { Kafka } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config';
import { NOTIFICATIONS_SCHEMA } from '../database/notifications-database';
import { WalletPushQueue } from './apple-push/wallet-push.queue';
import { GoogleSyncQueue } from './google-sync/google-sync.queue';
import { GoogleSyncsRepository } from './google-sync/google-syncs.repository';
import { WalletPassesChanged, WalletRegistrationsRepository } from './wallet-registrations.repository';

/** Event fields a wallet pass shows: a change to any of them updates every pass of the event. */
const SHOWN_EVENT_FIELDS = new Set(['name', 'startsAt', 'endsAt', 'venue', 'branding', 'timezone']);
/** Template fields a wallet pass shows (a description does not show). */
const SHOWN_TEMPLATE_FIELDS = new Set(['primaryColor', 'backgroundColor', 'textColor', 'logoUrl', 'barcodeFormat', 'logo', 'icon']);

export const WALLET_EVENT_TYPES = [
  'pass.updated',
  'pass.status_changed',
  'pass.scanned',
  'pass.admission_undone',
  'event.updated',
  'template.updated',
] as const;
export type WalletEvent = DomainEvent<(typeof WALLET_EVENT_TYPES)[number]>;

/** Which wallet passes an event changes, if any. */
export function changedWalletPasses(event: WalletEvent): WalletPassesChanged | null {
  switch (event.type) {
    case 'pass.updated':
    case 'pass.status_changed':
      return { passId: event.data.id };
    case 'pass.scanned': {
      // A single pass's first admission arrives as pass.status_changed (used); a multi pass's counter changes here.
      const scan = event.data;
      return scan.success && scan.passType === 'multi' ? { passId: scan.passId } : null;
    }
    case 'pass.admission_undone':
      // Likewise: a single pass back to active arrives as pass.status_changed; a multi pass's counter went down.
      return event.data.passType === 'multi' ? { passId: event.data.passId } : null;
    case 'event.updated': {
      const change: EventUpdatedValue = event.data;
      return change.changedFields.some((field) => SHOWN_EVENT_FIELDS.has(field)) ? { eventId: change.id } : null;
    }
    case 'template.updated':
      return event.data.changedFields.some((field) => SHOWN_TEMPLATE_FIELDS.has(field)) ? { templateId: event.data.id } : null;
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
  private consumer: EventConsumer<WalletEvent['type']> | undefined;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly registrations: WalletRegistrationsRepository,
    private readonly pushes: WalletPushQueue,
    private readonly googleSyncs: GoogleSyncsRepository,
    private readonly google: GoogleSyncQueue,
    private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new EventConsumer({
      kafka: this.kafka,
      dataSource: this.dataSource,
      schema: NOTIFICATIONS_SCHEMA,
      groupId: consumerGroupId(this.config.KAFKA_CLIENT_ID_PREFIX, CONSUMER_GROUPS.notificationsWallet),
      topics: [...CONSUMER_GROUPS.notificationsWallet.topics],
      types: WALLET_EVENT_TYPES,
      // Door scans are many; only an admitted multi pass's scan changes what its wallet copy shows.
      relevant: (event) => (event.type !== 'pass.scanned' && event.type !== 'pass.admission_undone') || changedWalletPasses(event) !== null,
      readiness: this.readiness,
      maxWaitTimeInMs: this.config.KAFKA_MAX_WAIT_MS,
      partitionsConsumedConcurrently: 3,
      handle: (event, manager) => this.apply(event, manager),
    });
    await this.consumer.start();
    this.logger.debug(`consuming pass and event changes for wallet passes; Apple pushes go through ${this.pushes.mode}`);
  }

  /** Raises the tags of the passes the event changes (Apple) and records the PATCH Google is owed, in the consumer's transaction. */
  private async apply(event: WalletEvent, manager: EntityManager): Promise<AfterCommit | undefined> {
    if (event.type === 'pass.updated') await this.registrations.setTemplate(manager, event.data.id, event.data.templateId);
    const target = changedWalletPasses(event);
    if (!target) return undefined;
    const changed = await this.registrations.markChanged(manager, target, this.config.WALLET_PUSH_COALESCE_MS);
    const syncId = this.google.enabled ? await this.planGoogleSync(event, manager) : null;
    if (changed.length === 0 && !syncId) return undefined;
    return async () => {
      if (changed.length > 0) await this.pushes.schedule(changed);
      if (syncId) await this.google.enqueue([syncId]);
    };
  }

  private async planGoogleSync(event: WalletEvent, manager: EntityManager): Promise<string | null> {
    if (event.type === 'pass.updated' || event.type === 'pass.status_changed') {
      const pass = event.data;
      const object = await this.googleSyncs.objectOf(manager, pass.id);
      if (!object) return null;
      const body = googleObjectPatch({
        passId: pass.id,
        code: pass.code,
        name: pass.name,
        status: pass.status,
        validFrom: pass.validFrom,
        validUntil: pass.validUntil,
        holderName: pass.client?.name ?? null,
        publicFields: pass.fields.filter((field) => field.isPublic).map(({ key, value }) => ({ key, value })),
        eventId: pass.eventId,
      });
      return this.googleSyncs.plan(manager, {
        tenantId: event.tenantId,
        eventId: event.id,
        targetType: object.type,
        targetId: object.id,
        body,
      });
    }
    if (event.type === 'event.updated') {
      const change = event.data;
      const classId = await this.googleSyncs.classOfEvent(manager, change.id);
      if (!classId) return null;
      const body = googleEventClassPatch({
        eventId: change.id,
        name: change.name,
        startsAt: change.startsAt,
        endsAt: change.endsAt,
        venue: change.venue,
      });
      return this.googleSyncs.plan(manager, {
        tenantId: event.tenantId,
        eventId: event.id,
        targetType: 'eventTicketClass',
        targetId: classId,
        body,
      });
    }
    return null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
