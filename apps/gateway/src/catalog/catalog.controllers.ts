import { Body, Controller, Delete, Get, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  CommandInput,
  CreateLocationDto,
  CreateTemplateDto,
  PageQueryDto,
  setListHeaders,
  UpdateLocationDto,
  UpdateTemplateDto,
  ValidateWith,
} from '@passway/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LocationDto, SuccessDto, TemplateDto } from '../openapi/response-schemas';
import { CurrentPrincipal, Principal, RequestId } from '../auth/principal';
import { API_PREFIX } from '../config';
import { Access, MANAGERS } from '../auth/route-access';
import { PassesClient } from '../rpc/service-clients.module';

/** The passes-service commands behind the five routes, of templates or of locations. */
interface CatalogCommands {
  list: 'ListTemplates' | 'ListLocations';
  create: 'CreateTemplate' | 'CreateLocation';
  get: 'GetTemplate' | 'GetLocation';
  update: 'UpdateTemplate' | 'UpdateLocation';
  remove: 'DeleteTemplate' | 'DeleteLocation';
}
type CreateInput = CommandInput<'PassesService', CatalogCommands['create']>;
type UpdateInput = CommandInput<'PassesService', CatalogCommands['update']>;

interface CatalogResource {
  path: string;
  methods: CatalogCommands;
  createContract: new () => object;
  updateContract: new () => object;
  /** The response schema in the OpenAPI document. */
  view: new () => object;
}

/** Templates and locations: the same five routes over the passes service. */
function catalogController({ path, methods, createContract, updateContract, view }: CatalogResource) {
  @ApiTags(path)
  @ApiBearerAuth()
  @Access({ roles: MANAGERS, rateGroup: 'manage' })
  @Controller(`${API_PREFIX}/${path}`)
  class CatalogController {
    constructor(@Inject(PassesClient) readonly passes: PassesClient) {}

    @Get()
    @ApiOkResponse({ type: [view] })
    async list(
      @CurrentPrincipal() principal: Principal,
      @Query(new ValidateWith(PageQueryDto)) query: PageQueryDto,
      @Req() req: Request,
      @Res({ passthrough: true }) res: Response,
      @RequestId() requestId?: string,
    ) {
      const page = await this.passes.call(methods.list, { tenantId: principal.tenant.id, input: query }, requestId);
      setListHeaders(req, res, page.total, page.page, page.limit);
      return page.items;
    }

    @Post()
    @ApiBody({ type: createContract })
    @ApiCreatedResponse({ type: view })
    create(
      @CurrentPrincipal() principal: Principal,
      @Body(new ValidateWith(createContract)) body: CreateInput,
      @RequestId() requestId?: string,
    ) {
      return this.passes.call(methods.create, { tenantId: principal.tenant.id, input: body }, requestId);
    }

    @Get(':id')
    @ApiOkResponse({ type: view })
    get(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @RequestId() requestId?: string) {
      return this.passes.call(methods.get, { tenantId: principal.tenant.id, id }, requestId);
    }

    @Patch(':id')
    @ApiBody({ type: updateContract })
    @ApiOkResponse({ type: view })
    update(
      @CurrentPrincipal() principal: Principal,
      @Param('id') id: string,
      @Body(new ValidateWith(updateContract)) body: UpdateInput,
      @RequestId() requestId?: string,
    ) {
      return this.passes.call(methods.update, { tenantId: principal.tenant.id, id, input: body }, requestId);
    }

    @Delete(':id')
    @ApiOkResponse({ type: SuccessDto })
    remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @RequestId() requestId?: string) {
      return this.passes.call(methods.remove, { tenantId: principal.tenant.id, id }, requestId);
    }
  }
  // One class name per resource: Nest's logs and the OpenAPI operation ids are built from it.
  const name = `${path[0].toUpperCase()}${path.slice(1)}Controller`;
  Object.defineProperty(CatalogController, 'name', { value: name });
  return CatalogController;
}

export const TemplatesController = catalogController({
  path: 'templates',
  methods: { list: 'ListTemplates', create: 'CreateTemplate', get: 'GetTemplate', update: 'UpdateTemplate', remove: 'DeleteTemplate' },
  createContract: CreateTemplateDto,
  updateContract: UpdateTemplateDto,
  view: TemplateDto,
});

export const LocationsController = catalogController({
  path: 'locations',
  methods: { list: 'ListLocations', create: 'CreateLocation', get: 'GetLocation', update: 'UpdateLocation', remove: 'DeleteLocation' },
  createContract: CreateLocationDto,
  updateContract: UpdateLocationDto,
  view: LocationDto,
});
