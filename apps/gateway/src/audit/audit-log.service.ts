import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/principal';

export type AuditActorType = 'user' | 'api_key' | 'operator' | 'system';

export interface AuditEntryInput {
  tenantId: string;
  actor: { type: AuditActorType; id: string | null; label: string | null };
  action: string;
  resourceType: string;
  resourceId?: string | null;
  ip?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown> | null;
}

export interface AuditEntry {
  id: string;
  occurredAt: string;
  actor: { type: AuditActorType; id: string | null; label: string | null };
  action: string;
  resourceType: string;
  resourceId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
}

/** A gateway.audit_log row as list() selects it. */
interface AuditRow {
  id: string;
  occurredAt: Date;
  actorType: AuditActorType;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditQuery {
  actor?: string;
  resource?: string;
  since?: Date;
  limit: number;
  offset: number;
}

export function auditActor(actor: Actor): AuditEntryInput['actor'] {
  return { type: actor.type, id: actor.id, label: actor.label };
}

/** The audit log of each organisation: who (a user or a key) did what to which resource, when, from where. */
@Injectable()
export class AuditLogService {
  private readonly logger = new Logger(AuditLogService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(entry: AuditEntryInput, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource).query(
      `INSERT INTO gateway.audit_log (tenant_id, actor_type, actor_id, actor_label, action, resource_type, resource_id, ip, request_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        entry.tenantId,
        entry.actor.type,
        entry.actor.id,
        entry.actor.label?.slice(0, 300) ?? null,
        entry.action,
        entry.resourceType,
        entry.resourceId ?? null,
        entry.ip ?? null,
        entry.requestId ?? null,
        entry.details ? JSON.stringify(entry.details) : null,
      ],
    );
  }

  /** Recording must not fail the request it describes once that request has succeeded; a failure is logged loudly. */
  async recordAfter(entry: AuditEntryInput): Promise<void> {
    await this.record(entry).catch((error: unknown) =>
      this.logger.error(
        `audit entry ${entry.action} for ${entry.tenantId} not recorded: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }

  async list(tenantId: string, query: AuditQuery): Promise<{ entries: AuditEntry[]; total: number }> {
    const where = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    if (query.actor) {
      params.push(query.actor);
      where.push(`(actor_id = $${params.length} OR actor_type = $${params.length})`);
    }
    if (query.resource) {
      params.push(query.resource);
      where.push(`(resource_type = $${params.length} OR resource_id = $${params.length})`);
    }
    if (query.since) {
      params.push(query.since);
      where.push(`occurred_at >= $${params.length}`);
    }
    const clause = where.join(' AND ');
    const [rows, counted] = await Promise.all([
      this.dataSource.query<AuditRow[]>(
        `SELECT id::text, occurred_at AS "occurredAt", actor_type AS "actorType", actor_id AS "actorId", actor_label AS "actorLabel", action,
                resource_type AS "resourceType", resource_id AS "resourceId", ip, request_id AS "requestId", details
           FROM gateway.audit_log a WHERE ${clause} ORDER BY a.id DESC LIMIT ${query.limit} OFFSET ${query.offset}`,
        params,
      ),
      this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM gateway.audit_log WHERE ${clause}`, params),
    ]);
    return {
      total: counted[0].total,
      entries: rows.map((row) => ({
        id: row.id,
        occurredAt: row.occurredAt.toISOString(),
        actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
        action: row.action,
        resourceType: row.resourceType,
        resourceId: row.resourceId,
        ip: row.ip,
        requestId: row.requestId,
        details: row.details,
      })),
    };
  }
}
