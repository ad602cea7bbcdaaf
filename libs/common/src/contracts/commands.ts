import type { CreateClientDto, ListClientsQueryDto } from './clients/client.dto';
import type { ClientView } from './clients/client.view';
import type { CreateEventDto, ListAttendeesQueryDto, ListEventsQueryDto, UpdateEventDto } from './events/event.dto';
import type { AttendeeView, EventAttendanceView, EventView } from './events/event.view';
import type { CreateLocationDto, LocationView, UpdateLocationDto } from './locations/location.dto';
import type { SendAccountEmailInput } from './notifications/account-email';
import type { PassEmailView } from './notifications/pass-email.view';
import type { CreatePassDto, ListPassesQueryDto, UpdatePassDto } from './passes/pass.dto';
import type { PassView } from './passes/pass.view';
import type { PublicPassView } from './passes/public-pass.view';
import type { ListPassScansQueryDto, ListScansQueryDto, ScanBatchCommandDto, ScanCommandDto } from './scans/scan.dto';
import type { BatchItemOutcome, EventScanStatsView, ScanOutcome, ScanRecordView } from './scans/scan.view';
import type { Page, PageQueryDto } from './shared/pagination.dto';
import type { CreateTemplateDto, TemplateView, UpdateTemplateDto } from './templates/template.dto';
import type { CreateWebhookDto, ListDeliveriesQueryDto, RetryDeliveryDto, TriggersQueryDto } from './webhooks/webhook.dto';
import type { DeliveryView, CreatedWebhookView, TriggerItem, WebhookView } from './webhooks/webhook.view';

/**
 * What one gRPC command takes (`input`, the JSON in `Command.json`; `never` when it takes none, only
 * an `id`) and what it answers (`result`, the JSON in `Result.json`).
 */
interface Command<TInput, TResult> {
  input: TInput;
  result: TResult;
}
type Deleted = { success: true };
type CodeLookup = { code: string };

/**
 * Every command of every service: the gateway's `ServiceClient.call` and the services'
 * `@CommandHandler` methods are typed from this map, so a method name that is not here, an input
 * of the wrong shape or a handler answering the wrong type does not compile. A new command is
 * one line here plus its `rpc` line in `rpc/protos/passway.proto`.
 */
export interface ServiceCommands {
  PassesService: {
    ListPasses: Command<ListPassesQueryDto, Page<PassView>>;
    CreatePass: Command<CreatePassDto, PassView>;
    GetPass: Command<never, PassView>;
    UpdatePass: Command<UpdatePassDto, PassView>;
    ActivatePass: Command<never, PassView>;
    RevokePass: Command<never, PassView>;
    GetPassByCode: Command<CodeLookup, PassView>;
    /** No tenant: the gateway has verified the page's signed link. */
    GetPublicPass: Command<CodeLookup, PublicPassView>;
    ListClients: Command<ListClientsQueryDto, Page<ClientView>>;
    CreateClient: Command<CreateClientDto, ClientView>;
    GetClient: Command<never, ClientView>;
    ListTemplates: Command<PageQueryDto, Page<TemplateView>>;
    CreateTemplate: Command<CreateTemplateDto, TemplateView>;
    GetTemplate: Command<never, TemplateView>;
    UpdateTemplate: Command<UpdateTemplateDto, TemplateView>;
    DeleteTemplate: Command<never, Deleted>;
    ListLocations: Command<PageQueryDto, Page<LocationView>>;
    CreateLocation: Command<CreateLocationDto, LocationView>;
    GetLocation: Command<never, LocationView>;
    UpdateLocation: Command<UpdateLocationDto, LocationView>;
    DeleteLocation: Command<never, Deleted>;
    ListEvents: Command<ListEventsQueryDto, Page<EventView>>;
    CreateEvent: Command<CreateEventDto, EventView>;
    GetEvent: Command<never, EventView>;
    GetEventBySlug: Command<{ slug: string }, EventView>;
    UpdateEvent: Command<UpdateEventDto, EventView>;
    SuspendEvent: Command<never, EventView>;
    ResumeEvent: Command<never, EventView>;
    ListEventAttendees: Command<ListAttendeesQueryDto, Page<AttendeeView>>;
    GetEventStats: Command<never, EventAttendanceView>;
  };
  ScansService: {
    Scan: Command<ScanCommandDto, ScanOutcome>;
    ScanBatch: Command<ScanBatchCommandDto, BatchItemOutcome[]>;
    ListPassScans: Command<ListPassScansQueryDto, Page<ScanRecordView>>;
    ListScans: Command<ListScansQueryDto, Page<ScanRecordView>>;
    EventScanStats: Command<never, EventScanStatsView>;
    /** From the passes service after a status change: re-read the pass (`id`) into the projection. */
    RefreshPass: Command<never, { refreshed: true }>;
    RefreshEvent: Command<never, { refreshed: true }>;
  };
  WebhooksService: {
    ListWebhooks: Command<PageQueryDto, Page<WebhookView>>;
    CreateWebhook: Command<CreateWebhookDto, CreatedWebhookView>;
    DeleteWebhook: Command<never, Deleted>;
    ListDeliveries: Command<ListDeliveriesQueryDto, Page<DeliveryView>>;
    RetryDelivery: Command<RetryDeliveryDto, DeliveryView>;
    PollTriggers: Command<TriggersQueryDto, TriggerItem[]>;
  };
  NotificationsService: {
    ListPassEmails: Command<never, PassEmailView[]>;
    /** No tenant: verification, password-reset and invitation emails of console accounts. */
    SendAccountEmail: Command<SendAccountEmailInput, { id: string }>;
  };
}

export type ServiceName = keyof ServiceCommands;
export type CommandName<S extends ServiceName> = keyof ServiceCommands[S] & string;
type Spec<S extends ServiceName, M extends CommandName<S>> = ServiceCommands[S][M] extends Command<infer I, infer R> ? Command<I, R> : never;
export type CommandInput<S extends ServiceName, M extends CommandName<S>> = Spec<S, M>['input'];
export type CommandResult<S extends ServiceName, M extends CommandName<S>> = Spec<S, M>['result'];
