import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  AfterCommit,
  ConsumedEvent,
  CONSUMER_GROUPS,
  DomainEvent,
  EventConsumer,
  EventConsumers,
  EventUpdatedValue,
  googleEventClassPatch,
  googleObjectLookPatch,
  googleObjectPatch,
  SCAN_STREAM_FETCH,
  TemplateUpdatedValue,
} from '@passway/common';
import { EntityManager } from 'typeorm';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config';
import { WalletPushQueue } from './apple-push/wallet-push.queue';
import { GoogleSyncQueue } from './google-sync/google-sync.queue';
import { GoogleSyncsRepository } from './google-sync/google-syncs.repository';
import { WalletPassesChanged, WalletRegistrationsRepository } from './wallet-registrations.repository';

/** Event fields a wallet pass shows: a change to any of them updates every pass of the event. */
const SHOWN_EVENT_FIELDS = new Set(['name', 'startsAt', 'endsAt', 'venue', 'branding', 'timezone']);
/** Template fields a wallet pass shows (a description does not show). */
const SHOWN_TEMPLATE_FIELDS = new Set(['primaryColor', 'backgroundColor', 'textColor', 'logoUrl', 'barcodeFormat', 'logo', 'icon']);
/** Template fields a Google Wallet object shows: its background colour (primary when there is no background) and logo. */
const GOOGLE_COLOR_FIELDS = new Set(['primaryColor', 'backgroundColor']);
const GOOGLE_LOGO_FIELDS = new Set(['logoUrl', 'logo']);

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
 * What a template's change PATCHes on the Google objects of its passes, by object type (null: nothing
 * for that type). An event ticket object shows the template's colour (its logo is its event's
 * class's), a generic object the colour and the logo. When one of those changed, the PATCH carries
 * the template's whole look for that type, not just what changed: a later look PATCH of the same
 * object then holds everything an earlier one did, so skipping the earlier one (superseded) loses
 * nothing. An event written before the look was carried has none: nothing to PATCH.
 */
export function googleTemplateBodies(
  change: TemplateUpdatedValue,
): Record<'eventTicketObject' | 'genericObject', Record<string, unknown> | null> {
  if (change.backgroundColor === undefined && change.primaryColor === undefined && change.logoUrl === undefined) {
    return { eventTicketObject: null, genericObject: null };
  }
  const colorChanged = change.changedFields.some((field) => GOOGLE_COLOR_FIELDS.has(field));
  const logoChanged = change.changedFields.some((field) => GOOGLE_LOGO_FIELDS.has(field));
  const look = { backgroundColor: change.backgroundColor ?? change.primaryColor ?? null, logoUrl: change.logoUrl ?? null };
  return {
    eventTicketObject: colorChanged ? googleObjectLookPatch('eventTicketObject', look) : null,
    genericObject: colorChanged || logoChanged ? googleObjectLookPatch('genericObject', look) : null,
  };
}

const listed = (id: string | null): string[] => (id ? [id] : []);
/** Events of one partition that share a transaction: door scans arrive by the hundred per second. */
const BATCH_SIZE = 200;

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
    private readonly consumers: EventConsumers,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly registrations: WalletRegistrationsRepository,
    private readonly pushes: WalletPushQueue,
    private readonly googleSyncs: GoogleSyncsRepository,
    private readonly google: GoogleSyncQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = this.consumers.create({
      group: CONSUMER_GROUPS.notificationsWallet,
      types: WALLET_EVENT_TYPES,
      // Door scans are many; only an admitted multi pass's scan changes what its wallet copy shows.
      relevant: (event) => (event.type !== 'pass.scanned' && event.type !== 'pass.admission_undone') || changedWalletPasses(event) !== null,
      partitionsConsumedConcurrently: 3,
      transactionBatchSize: BATCH_SIZE,
      // A push waits WALLET_PUSH_COALESCE_MS for more changes anyway.
      fetchBatching: SCAN_STREAM_FETCH,
      handleBatch: (events, manager) => this.applyBatch(events, manager),
    });
    await this.consumer.start();
    this.logger.debug(`consuming pass and event changes for wallet passes; Apple pushes go through ${this.pushes.mode}`);
  }

  /**
   * A chunk of events in one transaction. Scans and undos only raise their pass's tag, so a run of
   * them is one UPDATE for every pass it touched; any other event first applies the run before it,
   * so each pass's changes keep their order.
   */
  private async applyBatch(events: ConsumedEvent<WalletEvent['type']>[], manager: EntityManager): Promise<AfterCommit | undefined> {
    const afterCommits: AfterCommit[] = [];
    let counted = new Set<string>();
    const applyCounted = async () => {
      if (counted.size === 0) return;
      const changed = await this.registrations.markChanged(manager, { passIds: [...counted] }, this.config.WALLET_PUSH_COALESCE_MS);
      counted = new Set();
      if (changed.length > 0) afterCommits.push(() => this.pushes.schedule(changed));
    };
    for (const { event } of events) {
      // `relevant` let through only the scans and undos that change what a wallet pass shows.
      if (event.type === 'pass.scanned' || event.type === 'pass.admission_undone') {
        counted.add(event.data.passId);
        continue;
      }
      await applyCounted();
      const afterCommit = await this.apply(event, manager);
      if (afterCommit) afterCommits.push(afterCommit);
    }
    await applyCounted();
    if (afterCommits.length === 0) return undefined;
    return async () => {
      const failed = (await Promise.allSettled(afterCommits.map((afterCommit) => afterCommit()))).find(
        (outcome) => outcome.status === 'rejected',
      );
      if (failed) throw failed.reason;
    };
  }

  /** Raises the tags of the passes the event changes (Apple) and records the PATCH Google is owed, in the consumer's transaction. */
  private async apply(event: WalletEvent, manager: EntityManager): Promise<AfterCommit | undefined> {
    if (event.type === 'pass.updated') await this.registrations.setTemplate(manager, event.data.id, event.data.templateId);
    const target = changedWalletPasses(event);
    if (!target) return undefined;
    const changed = await this.registrations.markChanged(manager, target, this.config.WALLET_PUSH_COALESCE_MS);
    const syncIds = this.google.enabled ? await this.planGoogleSync(event, manager) : [];
    if (changed.length === 0 && syncIds.length === 0) return undefined;
    return async () => {
      if (changed.length > 0) await this.pushes.schedule(changed);
      if (syncIds.length > 0) await this.google.enqueue(syncIds);
    };
  }

  /** Records the PATCHes the event owes Google Wallet; the ids of the new ones. */
  private async planGoogleSync(event: WalletEvent, manager: EntityManager): Promise<string[]> {
    if (event.type === 'pass.updated' || event.type === 'pass.status_changed') {
      const pass = event.data;
      const object = await this.googleSyncs.objectOf(manager, pass.id);
      if (!object) return [];
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
      return listed(
        await this.googleSyncs.plan(manager, {
          tenantId: event.tenantId,
          eventId: event.id,
          targetType: object.type,
          targetId: object.id,
          body,
        }),
      );
    }
    if (event.type === 'event.updated') {
      const change = event.data;
      const classId = await this.googleSyncs.classOfEvent(manager, change.id);
      if (!classId) return [];
      // Name, date and time, venue and the event's branding all live on the event's class: one PATCH for every pass of the event.
      const body = googleEventClassPatch({
        eventId: change.id,
        name: change.name,
        startsAt: change.startsAt,
        endsAt: change.endsAt,
        venue: change.venue,
        backgroundColor: change.branding.backgroundColor ?? change.branding.primaryColor ?? null,
        logoUrl: change.branding.logoUrl ?? null,
      });
      return listed(
        await this.googleSyncs.plan(manager, {
          tenantId: event.tenantId,
          eventId: event.id,
          targetType: 'eventTicketClass',
          targetId: classId,
          body,
        }),
      );
    }
    if (event.type === 'template.updated') {
      const bodies = googleTemplateBodies(event.data);
      if (!bodies.eventTicketObject && !bodies.genericObject) return [];
      return this.googleSyncs.planForTemplate(manager, { tenantId: event.tenantId, eventId: event.id, templateId: event.data.id, bodies });
    }
    return [];
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
