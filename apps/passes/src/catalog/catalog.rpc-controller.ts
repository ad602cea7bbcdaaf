import { GrpcMethod } from '@nestjs/microservices';
import {
  CreateLocationDto, CreateTemplateDto, handleCommand, PageQueryDto, RpcCommand, RpcController, UpdateLocationDto,
  UpdateTemplateDto, validateInput,
} from '@passway/common';
import { LocationsService } from '../locations/locations.service';
import { TemplatesService } from '../templates/templates.service';

@RpcController()
export class CatalogRpcController {
  constructor(
    private readonly templates: TemplatesService,
    private readonly locations: LocationsService,
  ) {}

  @GrpcMethod('PassesService', 'ListTemplates')
  listTemplates(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input }) => this.templates.list(tenantId, validateInput(PageQueryDto, input ?? {})));
  }

  @GrpcMethod('PassesService', 'CreateTemplate')
  createTemplate(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input }) => this.templates.create(tenantId, validateInput(CreateTemplateDto, input)));
  }

  @GrpcMethod('PassesService', 'GetTemplate')
  getTemplate(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id }) => this.templates.get(tenantId, id ?? ''));
  }

  @GrpcMethod('PassesService', 'UpdateTemplate')
  updateTemplate(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id, input }) =>
      this.templates.update(tenantId, id ?? '', validateInput(UpdateTemplateDto, input)),
    );
  }

  @GrpcMethod('PassesService', 'DeleteTemplate')
  deleteTemplate(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id }) => this.templates.remove(tenantId, id ?? ''));
  }

  @GrpcMethod('PassesService', 'ListLocations')
  listLocations(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input }) => this.locations.list(tenantId, validateInput(PageQueryDto, input ?? {})));
  }

  @GrpcMethod('PassesService', 'CreateLocation')
  createLocation(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input }) => this.locations.create(tenantId, validateInput(CreateLocationDto, input)));
  }

  @GrpcMethod('PassesService', 'GetLocation')
  getLocation(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id }) => this.locations.get(tenantId, id ?? ''));
  }

  @GrpcMethod('PassesService', 'UpdateLocation')
  updateLocation(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id, input }) =>
      this.locations.update(tenantId, id ?? '', validateInput(UpdateLocationDto, input)),
    );
  }

  @GrpcMethod('PassesService', 'DeleteLocation')
  deleteLocation(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id }) => this.locations.remove(tenantId, id ?? ''));
  }
}
