import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditActorType, AuditEntryInput, AuditQuery } from './audit-log.service';

/** A gateway.audit_log row as page() selects it. */
export interface AuditRow {
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

/** The queries behind the audit log (gateway.audit_log). */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends an entry, inside the caller's transaction when `manager` is given. */
  async insert(entry: AuditEntryInput, manager?: EntityManager): Promise<void> {
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

  /** One page of the tenant's entries matching the query, newest first, and how many match in all. */
  async page(tenantId: string, query: AuditQuery): Promise<{ rows: AuditRow[]; total: number }> {
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
    return { rows, total: counted[0].total };
  }
}
