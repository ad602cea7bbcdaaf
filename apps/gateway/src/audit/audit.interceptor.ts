import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/principal';
import { AuditLogService, auditActor } from './audit-log.service';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Redemptions are recorded as scans (the scan history), at door volume; they are not audit entries. */
const NOT_AUDITED = new Set(['POST /api/v1/scan', 'POST /api/v1/validate', 'POST /api/v1/scans/batch']);

export interface AuditedAction {
  action: string;
  resourceType: string;
  resourceId: string | null;
}

/**
 * What a successful write did, read from its route: `POST /api/v1/passes` → passes.create,
 * `PATCH /api/v1/events/:eventId` → events.update, `POST /api/v1/passes/:passId/revoke` → passes.revoke,
 * `DELETE /api/v1/api-keys/:keyId` → api-keys.delete.
 */
export function describeWrite(method: string, routePath: string, params: Record<string, string>, body: unknown): AuditedAction | null {
  if (!WRITES.has(method) || !routePath.startsWith('/api/v1/') || NOT_AUDITED.has(`${method} ${routePath}`)) return null;
  const segments = routePath.slice('/api/v1/'.length).split('/').filter(Boolean);
  const resourceType = segments[0];
  const lastStatic = [...segments].reverse().find((segment) => !segment.startsWith(':'));
  const verb =
    segments.length === 1 && method === 'POST'
      ? 'create'
      : lastStatic !== resourceType
        ? lastStatic!.replace(/-/g, '_')
        : method === 'PATCH' || method === 'PUT'
          ? 'update'
          : method === 'DELETE'
            ? 'delete'
            : 'create';
  const firstParam = segments.find((segment) => segment.startsWith(':'));
  const bodyId =
    typeof body === 'object' && body !== null && typeof (body as { id?: unknown }).id === 'string' ? (body as { id: string }).id : null;
  const resourceId = firstParam ? (params[firstParam.slice(1)] ?? bodyId) : bodyId;
  return { action: `${resourceType}.${verb}`, resourceType, resourceId: resourceId ?? null };
}

/** Every successful write through /api/v1, by a key or a person, lands in the organisation's audit log. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditLogService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    return next.handle().pipe(
      tap((body) => {
        const principal = request.principal;
        // A replayed Idempotency-Key changed nothing the second time.
        if (context.switchToHttp().getResponse<{ getHeader(name: string): unknown }>().getHeader('Idempotent-Replayed')) return;
        const routePath = (request.route as { path?: string } | undefined)?.path;
        if (!principal || !routePath) return;
        const described = describeWrite(request.method, routePath, request.params as Record<string, string>, body);
        if (!described) return;
        void this.audit.recordAfter({
          tenantId: principal.tenant.id,
          actor: auditActor(principal.actor),
          ...described,
          ip: request.ip ?? null,
          requestId: request.requestId ?? null,
          details: {
            route: `${request.method} ${routePath}`,
            ...(principal.member ? { memberRole: principal.member.role } : {}),
            ...request.auditDetails,
          },
        });
      }),
    );
  }
}
