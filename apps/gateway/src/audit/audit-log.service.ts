import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/principal';
import { AuditLogRepository } from './audit-log.repository';

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

  constructor(private readonly repository: AuditLogRepository) {}

  async record(entry: AuditEntryInput, manager?: EntityManager): Promise<void> {
    await this.repository.insert(entry, manager);
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
    const { rows, total } = await this.repository.page(tenantId, query);
    return {
      total,
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
