import { Injectable } from '@nestjs/common';
import {
  appendToOutbox,
  ClientView,
  createEvent,
  CreateClientDto,
  invalidArgument,
  isUuid,
  ListClientsQueryDto,
  notFound,
  Page,
  pageWindow,
} from '@passway/common';
import { EntityManager } from 'typeorm';
import { PASSES_SCHEMA } from '../database/passes-database';
import { toClientView } from './client-view';
import { ClientsRepository } from './clients.repository';
import { ClientEntity } from './entities/client.entity';

@Injectable()
export class ClientsService {
  constructor(private readonly clients: ClientsRepository) {}

  async list(tenantId: string, query: ListClientsQueryDto): Promise<Page<ClientView>> {
    const { page, limit, offset } = pageWindow(query);
    const [rows, total] = await this.clients.list(tenantId, query.search, offset, limit);
    return { items: rows.map(toClientView), total, page, limit };
  }

  async create(tenantId: string, input: CreateClientDto): Promise<ClientView> {
    return this.clients.transaction(async (manager) => toClientView(await this.insert(manager, tenantId, input)));
  }

  async get(tenantId: string, id: string): Promise<ClientView> {
    const client = isUuid(id) ? await this.clients.findOne(tenantId, id) : null;
    if (!client) throw notFound('Client');
    return toClientView(client);
  }

  /** Within the caller's transaction: the client of that id, or a 400 if the tenant has none. */
  async requireForAttach(manager: EntityManager, tenantId: string, id: string): Promise<ClientEntity> {
    const client = isUuid(id) ? await this.clients.findOne(tenantId, id, manager) : null;
    if (!client) throw invalidArgument('clientId does not name one of your clients', 'unknown_client');
    return client;
  }

  /**
   * Within the caller's transaction: the oldest client of that name (and of that email and phone, when
   * given), created with them if there is none. An existing client is never changed.
   */
  async findOrCreateByName(
    manager: EntityManager,
    tenantId: string,
    name: string,
    contact: { email?: string; phone?: string } = {},
  ): Promise<ClientEntity> {
    // Serialises concurrent creations of the same name so two passes never make two clients.
    await this.clients.lockName(manager, tenantId, name);
    const existing = await this.clients.oldestByName(manager, tenantId, name, contact);
    return existing ?? this.insert(manager, tenantId, { name, email: contact.email, phone: contact.phone });
  }

  private async insert(manager: EntityManager, tenantId: string, input: CreateClientDto): Promise<ClientEntity> {
    const client = await this.clients.insert(manager, {
      tenantId,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      notes: input.notes ?? null,
    });
    await appendToOutbox(manager, PASSES_SCHEMA, client.id, createEvent('client.created', tenantId, toClientView(client)));
    return client;
  }
}
