import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
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
import { DataSource, EntityManager } from 'typeorm';
import { PASSES_SCHEMA } from '../database/passes-database';
import { toClientView } from './client-view';
import { ClientEntity } from './entities/client.entity';

@Injectable()
export class ClientsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(tenantId: string, query: ListClientsQueryDto): Promise<Page<ClientView>> {
    const { page, limit, offset } = pageWindow(query);
    const builder = this.dataSource
      .getRepository(ClientEntity)
      .createQueryBuilder('client')
      .where('client.tenantId = :tenantId', { tenantId });
    if (query.search) {
      builder.andWhere('(client.name ILIKE :term OR client.email ILIKE :term OR client.phone ILIKE :term)', {
        term: `%${escapeLike(query.search)}%`,
      });
    }
    const [rows, total] = await builder
      .orderBy('client.createdAt', 'DESC')
      .addOrderBy('client.id', 'DESC')
      .skip(offset)
      .take(limit)
      .getManyAndCount();
    return { items: rows.map(toClientView), total, page, limit };
  }

  async create(tenantId: string, input: CreateClientDto): Promise<ClientView> {
    return this.dataSource.transaction(async (manager) => toClientView(await this.insert(manager, tenantId, input)));
  }

  async get(tenantId: string, id: string): Promise<ClientView> {
    const client = isUuid(id) ? await this.dataSource.getRepository(ClientEntity).findOneBy({ id, tenantId }) : null;
    if (!client) throw notFound('Client');
    return toClientView(client);
  }

  /** Within the caller's transaction: the client of that id, or a 400 if the tenant has none. */
  async requireForAttach(manager: EntityManager, tenantId: string, id: string): Promise<ClientEntity> {
    const client = isUuid(id) ? await manager.getRepository(ClientEntity).findOneBy({ id, tenantId }) : null;
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
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`client-name:${tenantId}:${name.toLowerCase()}`]);
    const builder = manager
      .getRepository(ClientEntity)
      .createQueryBuilder('client')
      .where('client.tenantId = :tenantId AND lower(client.name) = lower(:name)', { tenantId, name });
    if (contact.email !== undefined) builder.andWhere('lower(client.email) = lower(:email)', { email: contact.email });
    if (contact.phone !== undefined) builder.andWhere('client.phone = :phone', { phone: contact.phone });
    const existing = await builder.orderBy('client.createdAt', 'ASC').getOne();
    return existing ?? this.insert(manager, tenantId, { name, email: contact.email, phone: contact.phone });
  }

  private async insert(manager: EntityManager, tenantId: string, input: CreateClientDto): Promise<ClientEntity> {
    const client = await manager.getRepository(ClientEntity).save(
      manager.getRepository(ClientEntity).create({
        tenantId,
        name: input.name,
        email: input.email ?? null,
        phone: input.phone ?? null,
        notes: input.notes ?? null,
      }),
    );
    await appendToOutbox(manager, PASSES_SCHEMA, client.id, createEvent('client.created', tenantId, toClientView(client)));
    return client;
  }
}

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
