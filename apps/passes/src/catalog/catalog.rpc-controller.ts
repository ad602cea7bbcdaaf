import {
  CreateLocationDto,
  CreateTemplateDto,
  CommandHandler,
  PageQueryDto,
  TenantCommand,
  RpcController,
  UpdateLocationDto,
  UpdateTemplateDto,
  validateInput,
} from '@passway/common';
import { LocationsService } from '../locations/locations.service';
import { TemplatesService } from '../templates/templates.service';

@RpcController()
export class CatalogRpcController {
  constructor(
    private readonly templates: TemplatesService,
    private readonly locations: LocationsService,
  ) {}

  @CommandHandler('PassesService', 'ListTemplates')
  listTemplates({ tenantId, input }: TenantCommand) {
    return this.templates.list(tenantId, validateInput(PageQueryDto, input ?? {}));
  }

  @CommandHandler('PassesService', 'CreateTemplate')
  createTemplate({ tenantId, input }: TenantCommand) {
    return this.templates.create(tenantId, validateInput(CreateTemplateDto, input));
  }

  @CommandHandler('PassesService', 'GetTemplate')
  getTemplate({ tenantId, id }: TenantCommand) {
    return this.templates.get(tenantId, id ?? '');
  }

  @CommandHandler('PassesService', 'UpdateTemplate')
  updateTemplate({ tenantId, id, input }: TenantCommand) {
    return this.templates.update(tenantId, id ?? '', validateInput(UpdateTemplateDto, input));
  }

  @CommandHandler('PassesService', 'DeleteTemplate')
  deleteTemplate({ tenantId, id }: TenantCommand) {
    return this.templates.remove(tenantId, id ?? '');
  }

  @CommandHandler('PassesService', 'ListLocations')
  listLocations({ tenantId, input }: TenantCommand) {
    return this.locations.list(tenantId, validateInput(PageQueryDto, input ?? {}));
  }

  @CommandHandler('PassesService', 'CreateLocation')
  createLocation({ tenantId, input }: TenantCommand) {
    return this.locations.create(tenantId, validateInput(CreateLocationDto, input));
  }

  @CommandHandler('PassesService', 'GetLocation')
  getLocation({ tenantId, id }: TenantCommand) {
    return this.locations.get(tenantId, id ?? '');
  }

  @CommandHandler('PassesService', 'UpdateLocation')
  updateLocation({ tenantId, id, input }: TenantCommand) {
    return this.locations.update(tenantId, id ?? '', validateInput(UpdateLocationDto, input));
  }

  @CommandHandler('PassesService', 'DeleteLocation')
  deleteLocation({ tenantId, id }: TenantCommand) {
    return this.locations.remove(tenantId, id ?? '');
  }
}
