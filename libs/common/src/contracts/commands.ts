import type { AdmissionFeedPage, AdmissionFeedQueryDto } from './admissions/admission-feed';
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
import type {
  ListPassScansQueryDto,
  ListScansQueryDto,
  ScanBatchCommandDto,
  ScanCommandDto,
  UndoAdmissionCommandDto,
} from './scans/scan.dto';
import type { BatchItemOutcome, EventScanStatsView, ScanOutcome, ScanRecordView, UndoOutcome } from './scans/scan.view';
import type { BrandingImageView, PutBrandingImageInput } from './shared/branding-image';
import type { Page, PageQueryDto } from './shared/pagination.dto';
import type { CreateTemplateDto, TemplateView, UpdateTemplateDto } from './templates/template.dto';
import type { CreateWebhookDto, ListDeliveriesQueryDto, RetryDeliveryDto, TriggersQueryDto } from './webhooks/webhook.dto';
import type { DeliveryView, CreatedWebhookView, TriggerItem, WebhookView } from './webhooks/webhook.view';
import type {
  ApplePassFile,
  GoogleSaveLinkResult,
  ListUpdatedWalletPassesInput,
  PublicWalletLookup,
  RegisterWalletDeviceInput,
  TrackGoogleWalletObjectInput,
  UnregisterWalletDeviceInput,
  UpdatedWalletPasses,
  WalletPassInfo,
} from './wallet/wallet.view';

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
    /** The holder portal: every pass of the tenant whose client has this email (the gateway checked the one-time link). */
    ListHolderPasses: Command<{ email: string }, PublicPassView[]>;
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
    /** The pass (`id`) as a signed .pkpass. */
    GetApplePass: Command<never, ApplePassFile>;
    GetGoogleSaveLink: Command<never, GoogleSaveLinkResult>;
    /** No tenant: the gateway has verified the holder's signed link (`code`) or the device's ApplePass token (`serial`). */
    GetPublicApplePass: Command<PublicWalletLookup, ApplePassFile>;
    /** No tenant: the gateway has verified the holder's signed link. */
    GetPublicGoogleSaveLink: Command<CodeLookup, GoogleSaveLinkResult>;
    /** No tenant: the gateway has verified the device's ApplePass token for this serial. */
    GetWalletPassInfo: Command<{ serial: string }, WalletPassInfo>;
    /** A logo or icon upload of the template or event (`id`), resized and stored. */
    PutTemplateImage: Command<PutBrandingImageInput, BrandingImageView>;
    PutEventImage: Command<PutBrandingImageInput, BrandingImageView>;
    /** No tenant: a stored image by its random id (public like the pages that show it). */
    GetBrandingImage: Command<{ id: string; variant: '1x' | '2x' | '3x' }, { png: string }>;
  };
  ScansService: {
    Scan: Command<ScanCommandDto, ScanOutcome>;
    ScanBatch: Command<ScanBatchCommandDto, BatchItemOutcome[]>;
    /** Takes back the admission `id` (a successful scan): the counter goes down by one. */
    UndoAdmission: Command<UndoAdmissionCommandDto, UndoOutcome>;
    ListPassScans: Command<ListPassScansQueryDto, Page<ScanRecordView>>;
    ListScans: Command<ListScansQueryDto, Page<ScanRecordView>>;
    EventScanStats: Command<never, EventScanStatsView>;
    /** From the passes service after a status change: re-read the pass (`id`) into the projection. */
    RefreshPass: Command<never, { refreshed: true }>;
    RefreshEvent: Command<never, { refreshed: true }>;
    /** The door app's offline copy of an event's (`id`) admissions: a full download, then deltas. */
    ListAdmissions: Command<AdmissionFeedQueryDto, AdmissionFeedPage>;
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
    /** The pass's (`id`) latest issue email again, to the same address; 409 when it was never emailed. */
    ResendPassEmail: Command<never, PassEmailView>;
    /** No tenant: verification, password-reset and invitation emails of console accounts. */
    SendAccountEmail: Command<SendAccountEmailInput, { id: string }>;
    /** The PassKit web service's registrations; the gateway has checked the pass's ApplePass token. */
    RegisterWalletDevice: Command<RegisterWalletDeviceInput, { created: boolean }>;
    /** No tenant: a device names only its serial (token checked by the gateway). */
    UnregisterWalletDevice: Command<UnregisterWalletDeviceInput, { removed: boolean }>;
    /** No tenant: Apple sends no token here, the device library id is the secret. */
    ListUpdatedWalletPasses: Command<ListUpdatedWalletPassesInput, UpdatedWalletPasses>;
    /** A save link was issued: the pass's later changes are PATCHed to that Google object. */
    TrackGoogleWalletObject: Command<TrackGoogleWalletObjectInput, { tracked: true }>;
  };
}

export type ServiceName = keyof ServiceCommands;
export type CommandName<S extends ServiceName> = keyof ServiceCommands[S] & string;
type Spec<S extends ServiceName, M extends CommandName<S>> =
  ServiceCommands[S][M] extends Command<infer I, infer R> ? Command<I, R> : never;
export type CommandInput<S extends ServiceName, M extends CommandName<S>> = Spec<S, M>['input'];
export type CommandResult<S extends ServiceName, M extends CommandName<S>> = Spec<S, M>['result'];
