import { GrpcMethod } from '@nestjs/microservices';
import {
  CreateEventDto, handleCommand, ListAttendeesQueryDto, ListEventsQueryDto, RpcCommand, RpcController, UpdateEventDto,
  validateInput,
} from '@passway/common';
import { EventsService } from './events.service';

@RpcController()
export class EventsRpcController {
  constructor(private readonly events: EventsService) {}

  @GrpcMethod('PassesService', 'ListEvents')
  list(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input }) => this.events.list(tenantId, validateInput(ListEventsQueryDto, input ?? {})));
  }

  @GrpcMethod('PassesService', 'CreateEvent')
  create(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input }) => this.events.create(tenantId, validateInput(CreateEventDto, input)));
  }

  @GrpcMethod('PassesService', 'GetEvent')
  get(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id }) => this.events.get(tenantId, id ?? ''));
  }

  @GrpcMethod('PassesService', 'UpdateEvent')
  update(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id, input }) => this.events.update(tenantId, id ?? '', validateInput(UpdateEventDto, input)));
  }

  @GrpcMethod('PassesService', 'SuspendEvent')
  suspend(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id }) => this.events.changeStatus(tenantId, id ?? '', 'suspended'));
  }

  @GrpcMethod('PassesService', 'ResumeEvent')
  resume(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id }) => this.events.changeStatus(tenantId, id ?? '', 'active'));
  }

  @GrpcMethod('PassesService', 'ListEventAttendees')
  attendees(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id, input }) =>
      this.events.attendees(tenantId, id ?? '', validateInput(ListAttendeesQueryDto, input ?? {})),
    );
  }

  @GrpcMethod('PassesService', 'GetEventStats')
  stats(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id }) => this.events.stats(tenantId, id ?? ''));
  }
}
