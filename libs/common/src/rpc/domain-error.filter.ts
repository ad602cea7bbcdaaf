import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { Observable, throwError } from 'rxjs';
import { DomainError, ErrorBody } from '../errors/domain-error';
import { GRPC_STATUS_BY_KIND } from '../errors/error-mapping';
import { retryableDatabaseFailure, unstorableText } from '../database/pg-errors';

export interface GrpcErrorPayload {
  code: GrpcStatus;
  message: string;
  details: string;
}

/** Service side: a DomainError becomes its gRPC status with the JSON error body as details. */
@Catch()
export class DomainErrorRpcFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('RpcErrors');

  catch(exception: unknown): Observable<never> {
    return throwError(() => toGrpcError(exception, this.logger));
  }
}

export function toGrpcError(exception: unknown, logger: Logger): GrpcErrorPayload {
  if (exception instanceof DomainError) {
    const body: ErrorBody = { error: exception.message, code: exception.code };
    if (exception.details !== undefined) body.details = exception.details;
    const details = JSON.stringify(body);
    return { code: GRPC_STATUS_BY_KIND[exception.kind], message: details, details };
  }
  const unstorable = unstorableText(exception);
  if (unstorable) {
    const details = JSON.stringify(unstorable);
    return { code: GrpcStatus.INVALID_ARGUMENT, message: details, details };
  }
  const retryable = retryableDatabaseFailure(exception);
  if (retryable) {
    logger.warn(`${retryable.code} under a command: ${(exception as Error)?.message}`);
    const details = JSON.stringify(retryable);
    return { code: GrpcStatus.UNAVAILABLE, message: details, details };
  }
  logger.error(`unhandled error in command: ${(exception as Error)?.stack ?? String(exception)}`);
  const details = JSON.stringify({ error: 'internal error in service', code: 'internal' });
  return { code: GrpcStatus.INTERNAL, message: details, details };
}

// ArgumentsHost is part of the interface but unused: the error alone decides the status.
export type { ArgumentsHost };
