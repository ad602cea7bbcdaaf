/**
 * Type-level tests of the command and event contracts: `npm run typecheck` compiles this file
 * (it never runs). Every `@ts-expect-error` line must fail to compile, or the directive itself
 * is an error, so each line proves the compiler catches that mistake.
 */
import {
  CommandHandler,
  createEvent,
  DomainEvent,
  EventConsumer,
  PassScannedValue,
  PassView,
  ScanOutcome,
  ServiceClient,
  TenantCommand,
} from '@passway/common';
import type { Kafka } from 'kafkajs';
import type { ApiClient } from '../support/api-client';
import type { DataSource } from 'typeorm';

declare const passes: ServiceClient<'PassesService'>;
declare const pass: PassView;
declare const scan: PassScannedValue;
declare const scanOutcome: ScanOutcome;

export async function commandsAreChecked(): Promise<void> {
  const found: PassView = await passes.call('GetPass', { tenantId: 't', id: 'p' });
  void found;

  // A command name the passes service does not have.
  // @ts-expect-error 'GetPas' is not a PassesService command
  await passes.call('GetPas', { tenantId: 't', id: 'p' });

  // A command of another service.
  // @ts-expect-error 'Scan' belongs to ScansService
  await passes.call('Scan', { tenantId: 't', input: { code: 'X' } });

  // A wrong result type at the caller.
  // @ts-expect-error GetPass answers a PassView, not a ScanOutcome
  const outcome: ScanOutcome = await passes.call('GetPass', { tenantId: 't', id: 'p' });
  void outcome;

  // A wrong input.
  // @ts-expect-error GetPassByCode takes { code }
  await passes.call('GetPassByCode', { tenantId: 't', input: { slug: 'gala' } });
}

export class Handlers {
  @CommandHandler('PassesService', 'GetPass')
  get(_command: TenantCommand): Promise<PassView> {
    return Promise.resolve(pass);
  }

  // @ts-expect-error a handler of GetPass must answer a PassView
  @CommandHandler('PassesService', 'GetPass')
  getWrong(_command: TenantCommand): Promise<ScanOutcome> {
    return Promise.resolve(scanOutcome);
  }

  // @ts-expect-error 'RedeemPass' is not a command of the map
  @CommandHandler('PassesService', 'RedeemPass')
  redeem(_command: TenantCommand): Promise<PassView> {
    return Promise.resolve(pass);
  }
}

export function eventsAreChecked(): unknown[] {
  const scanned = createEvent('pass.scanned', 't', scan);
  // @ts-expect-error pass.scanned carries a PassScannedValue, not a PassView
  const wrong = createEvent('pass.scanned', 't', pass);
  // @ts-expect-error no such event type
  const unknown = createEvent('pass.redeemed', 't', scan);
  return [scanned, wrong, unknown];
}

export function consumersGetTypedData(kafka: Kafka, dataSource: DataSource): EventConsumer<'pass.scanned'> {
  return new EventConsumer({
    kafka,
    dataSource,
    schema: 's',
    groupId: 'g',
    topics: [],
    types: ['pass.scanned'],
    maxWaitTimeInMs: 100,
    handle: (event) => {
      const usages: number = event.data.usagesCount;
      // @ts-expect-error a pass.scanned event's data has no `fields` (that is a PassView's)
      void event.data.fields;
      void usages;
      return Promise.resolve();
    },
  });
}

export function handlersNarrowOnType(event: DomainEvent<'pass.created' | 'pass.scanned'>): string {
  switch (event.type) {
    case 'pass.created':
      return event.data.code;
    case 'pass.scanned':
      // @ts-expect-error after narrowing to pass.scanned, data is a PassScannedValue
      return event.data.publicUrl;
  }
}

declare const api: ApiClient;

/** The e2e tests' client takes only the OpenAPI document's routes, with the method each answers. */
export async function e2eRoutesAreChecked(): Promise<void> {
  await api.post('/passes/p1/revoke');
  await api.get('/api/v1/passes?eventId=e1');

  // A route the document does not have.
  // @ts-expect-error '/passes/p1/revok' is not a documented route
  await api.post('/passes/p1/revok');
  // A documented route with a method it does not answer.
  // @ts-expect-error PATCH /scan is not documented
  await api.patch('/scan', { code: 'ABCDEFGHJKMN' });
}
