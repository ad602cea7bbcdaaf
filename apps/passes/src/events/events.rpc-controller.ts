import {
  CreateEventDto,
  forbidden,
  CommandHandler,
  ListAttendeesQueryDto,
  ListEventsQueryDto,
  notFound,
  RpcController,
  TenantCommand,
  UpdateEventDto,
  validateInput,
} from '@passway/common';
import { inScope } from './event-scope';
import { EventsService } from './events.service';

/** The event an id-based command names, when the caller's key may see it (else 404). */
function scopedEventId({ id, eventIds }: TenantCommand): string {
  if (!inScope(eventIds, id)) throw notFound('Event');
  return id ?? '';
}

@RpcController()
export class EventsRpcController {
  constructor(private readonly events: EventsService) {}

  @CommandHandler('PassesService', 'ListEvents')
  list({ tenantId, input, eventIds }: TenantCommand) {
    return this.events.list(tenantId, validateInput(ListEventsQueryDto, input ?? {}), eventIds);
  }

  @CommandHandler('PassesService', 'CreateEvent')
  create({ tenantId, id, input, eventIds }: TenantCommand) {
    if (eventIds) throw forbidden('an event-scoped key cannot create events', 'event_scoped_key');
    return this.events.create(tenantId, validateInput(CreateEventDto, input), id);
  }

  @CommandHandler('PassesService', 'GetEvent')
  get(command: TenantCommand) {
    return this.events.get(command.tenantId, scopedEventId(command));
  }

  /** For the public self-service check-in page: the event of a tenant by its URL slug. */
  @CommandHandler('PassesService', 'GetEventBySlug')
  getBySlug({ tenantId, input }: TenantCommand) {
    const slug = (input as { slug?: unknown } | undefined)?.slug;
    if (typeof slug !== 'string') throw notFound('Event');
    return this.events.getBySlug(tenantId, slug);
  }

  @CommandHandler('PassesService', 'UpdateEvent')
  update(command: TenantCommand) {
    return this.events.update(command.tenantId, scopedEventId(command), validateInput(UpdateEventDto, command.input));
  }

  @CommandHandler('PassesService', 'SuspendEvent')
  suspend(command: TenantCommand) {
    return this.events.changeStatus(command.tenantId, scopedEventId(command), 'suspended');
  }

  @CommandHandler('PassesService', 'ResumeEvent')
  resume(command: TenantCommand) {
    return this.events.changeStatus(command.tenantId, scopedEventId(command), 'active');
  }

  @CommandHandler('PassesService', 'ListEventAttendees')
  attendees(command: TenantCommand) {
    return this.events.attendees(command.tenantId, scopedEventId(command), validateInput(ListAttendeesQueryDto, command.input ?? {}));
  }

  @CommandHandler('PassesService', 'GetEventStats')
  stats(command: TenantCommand) {
    return this.events.stats(command.tenantId, scopedEventId(command));
  }
}
