import { BadRequestException, CallHandler, ConflictException, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Response } from 'express';
import { catchError, concatMap, from, map, Observable, of, switchMap, throwError } from 'rxjs';
import { AuthenticatedRequest } from '../auth/principal';
import { IdempotencyStore, requestFingerprint } from './idempotency-store';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on POST: the first successful response is kept 24 h per tenant and key and replayed
 * for the same request (`Idempotent-Replayed: true`) without running the handler again; the same key on a
 * different request is 409; a duplicate while the first is still running is 409 (retry shortly).
 * Failed requests are not kept (they changed nothing), so a retry with the same key runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || key === undefined || !request.principal) return next.handle();
    if (typeof key !== 'string' || !ACCEPTABLE_KEY.test(key)) {
      throw new BadRequestException({ error: 'Idempotency-Key must be 1 to 255 visible ASCII characters', code: 'invalid_idempotency_key' });
    }
    const response = context.switchToHttp().getResponse<Response>();
    const tenantId = request.principal.tenant.id;
    const fingerprint = requestFingerprint(request.method, request.originalUrl.split('?')[0], request.body);
    const status: number = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? 201;

    return from(this.store.claim(tenantId, key, fingerprint).catch((error) => this.failOpen(error))).pipe(
      switchMap((claim) => {
        if (!claim) return next.handle();
        switch (claim.outcome) {
          case 'mismatch':
            throw new ConflictException({ error: 'This Idempotency-Key was already used with a different request', code: 'idempotency_key_reused' });
          case 'in_flight':
            response.setHeader('Retry-After', '1');
            throw new ConflictException({ error: 'A request with this Idempotency-Key is still being processed', code: 'idempotency_in_flight' });
          case 'replay':
            response.setHeader('Idempotent-Replayed', 'true');
            return of(
              new globalThis.Response(JSON.stringify(claim.response.body), {
                status: claim.response.status,
                headers: { 'content-type': 'application/json; charset=utf-8' },
              }),
            );
          case 'claimed':
            return next.handle().pipe(
              concatMap((body) =>
                from(this.store.complete(tenantId, key, fingerprint, { status, body: body ?? null }).catch((error) => this.failOpen(error))).pipe(
                  map(() => body),
                ),
              ),
              catchError((error) =>
                from(this.store.release(tenantId, key, claim.claim).catch((e) => this.failOpen(e))).pipe(switchMap(() => throwError(() => error))),
              ),
            );
        }
      }),
    );
  }

  private failOpen(error: Error): undefined {
    this.logger.warn(`idempotency store unavailable, request runs without it: ${error.message}`);
    return undefined;
  }
}
