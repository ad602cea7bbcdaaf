import { GrpcMethod } from '@nestjs/microservices';
import {
  CreateEventDto, forbidden, handleCommand, ListAttendeesQueryDto, ListEventsQueryDto, notFound, RpcCommand, RpcController,
  TenantCommand, UpdateEventDto, validateInput,
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

  @GrpcMethod('PassesService', 'ListEvents')
  list(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input, eventIds }) =>
      this.events.list(tenantId, validateInput(ListEventsQueryDto, input ?? {}), eventIds),
    );
  }

  @GrpcMethod('PassesService', 'CreateEvent')
  create(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id, input, eventIds }) => {
      if (eventIds) throw forbidden('an event-scoped key cannot create events', 'event_scoped_key');
      return this.events.create(tenantId, validateInput(CreateEventDto, input), id);
    });
  }

  @GrpcMethod('PassesService', 'GetEvent')
  get(message: RpcCommand) {
    return handleCommand(message, (command) => this.events.get(command.tenantId, scopedEventId(command)));
  }

  /** For the public self-service check-in page: the event of a tenant by its URL slug. */
  @GrpcMethod('PassesService', 'GetEventBySlug')
  getBySlug(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input }) => {
      const slug = (input as { slug?: unknown } | undefined)?.slug;
      if (typeof slug !== 'string') throw notFound('Event');
      return this.events.getBySlug(tenantId, slug);
    });
  }

  @GrpcMethod('PassesService', 'UpdateEvent')
  update(message: RpcCommand) {
    return handleCommand(message, (command) =>
      this.events.update(command.tenantId, scopedEventId(command), validateInput(UpdateEventDto, command.input)),
    );
  }

  @GrpcMethod('PassesService', 'SuspendEvent')
  suspend(message: RpcCommand) {
    return handleCommand(message, (command) => this.events.changeStatus(command.tenantId, scopedEventId(command), 'suspended'));
  }

  @GrpcMethod('PassesService', 'ResumeEvent')
  resume(message: RpcCommand) {
    return handleCommand(message, (command) => this.events.changeStatus(command.tenantId, scopedEventId(command), 'active'));
  }

  @GrpcMethod('PassesService', 'ListEventAttendees')
  attendees(message: RpcCommand) {
    return handleCommand(message, (command) =>
      this.events.attendees(command.tenantId, scopedEventId(command), validateInput(ListAttendeesQueryDto, command.input ?? {})),
    );
  }

  @GrpcMethod('PassesService', 'GetEventStats')
  stats(message: RpcCommand) {
    return handleCommand(message, (command) => this.events.stats(command.tenantId, scopedEventId(command)));
  }
}
