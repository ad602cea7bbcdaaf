import { BadRequestException, CallHandler, ConflictException, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { isDefiniteRefusal } from '@passway/common';
import type { Response } from 'express';
import { catchError, concatMap, from, map, Observable, of, switchMap, throwError } from 'rxjs';
import { AuthenticatedRequest } from '../auth/principal';
import { RERUN_AFTER_UNKNOWN_OUTCOME, RESPONSE_CARRIES_SECRET } from './idempotency-policy';
import { IdempotencyStore, requestFingerprint } from './idempotency-store';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on POST, with Stripe's semantics (docs/gateway-policies.md#idempotency):
 * - a success is kept 24 h and replayed (`Idempotent-Replayed: true`) without running the handler again,
 *   except a response that carried a secret, which is never kept (409 idempotency_response_not_kept);
 * - the same key on a different request is 409; a duplicate while the first still runs is 409 (retry shortly);
 * - a clear refusal (4xx) changed nothing and frees the key;
 * - a 5xx or a deadline keeps the key: the first attempt may have taken effect. A retry runs again only
 *   on routes that then find the first result (ids derived from the key); elsewhere it is 409
 *   idempotency_outcome_unknown.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || key === undefined || !request.principal) return next.handle();
    if (typeof key !== 'string' || !ACCEPTABLE_KEY.test(key)) {
      throw new BadRequestException({
        error: 'Idempotency-Key must be 1 to 255 visible ASCII characters',
        code: 'invalid_idempotency_key',
      });
    }
    request.idempotencyKey = key;
    const response = context.switchToHttp().getResponse<Response>();
    const tenantId = request.principal.tenant.id;
    const fingerprint = requestFingerprint(request.method, request.originalUrl.split('?')[0], request.body);
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? 201;
    const targets = [context.getHandler(), context.getClass()];
    const rerunnable = this.reflector.getAllAndOverride<boolean>(RERUN_AFTER_UNKNOWN_OUTCOME, targets) === true;
    const carriesSecret = this.reflector.getAllAndOverride<boolean>(RESPONSE_CARRIES_SECRET, targets) === true;

    return from(this.store.claim(tenantId, key, fingerprint, rerunnable).catch((error) => this.failOpen(error))).pipe(
      switchMap((claim) => {
        if (!claim) return next.handle();
        switch (claim.outcome) {
          case 'mismatch':
            throw new ConflictException({
              error: 'This Idempotency-Key was already used with a different request',
              code: 'idempotency_key_reused',
            });
          case 'in_flight':
            response.setHeader('Retry-After', '1');
            throw new ConflictException({
              error: 'A request with this Idempotency-Key is still being processed',
              code: 'idempotency_in_flight',
            });
          case 'outcome_unknown':
            throw new ConflictException({
              error:
                'The first request with this Idempotency-Key ended without a clear outcome (a server error or a timeout) and may have ' +
                'taken effect; this route cannot look its result up again. Check whether it took effect before retrying with a new key',
              code: 'idempotency_outcome_unknown',
            });
          case 'withheld':
            throw new ConflictException({
              error:
                'The request with this Idempotency-Key succeeded, but its response showed a secret once and was not kept. ' +
                'Find the resource in its list; if the secret was lost, revoke or delete it and create another',
              code: 'idempotency_response_not_kept',
            });
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
              concatMap((body: unknown) =>
                from(
                  this.store
                    .complete(tenantId, key, fingerprint, { status, body: body ?? null }, carriesSecret)
                    .catch((error) => this.failOpen(error)),
                ).pipe(map(() => body)),
              ),
              catchError((error: unknown) => {
                const settle = isDefiniteRefusal(error)
                  ? this.store.release(tenantId, key, claim.claim)
                  : this.store.markUnknown(tenantId, key, fingerprint, claim.claim);
                return from(settle.catch((e) => this.failOpen(e))).pipe(switchMap(() => throwError(() => error)));
              }),
            );
        }
      }),
    );
  }

  private failOpen(error: unknown): undefined {
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`idempotency store unavailable, request runs without it: ${reason}`);
    return undefined;
  }
}
