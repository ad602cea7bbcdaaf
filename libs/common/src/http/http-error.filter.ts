import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, DomainErrorKind, ErrorBody } from '../errors/domain-error';
import { UpstreamError } from '../rpc/service-client';
import { retryableDatabaseFailure, unstorableText } from '../database/pg-errors';

export const HTTP_STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid_argument: 400,
  failed_precondition: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unavailable: 503,
  // Only between services (a call without a valid service token): never the API caller's fault.
  unauthenticated: 502,
};

/** Every error leaves the gateway as `{ "error": "message" }` (plus `code`, `details`). */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.describe(exception);
    if (response.headersSent) return;
    response.status(status).json(body);
  }

  describe(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof UpstreamError) return { status: exception.status, body: exception.body };
    if (exception instanceof DomainError) {
      const body: ErrorBody = { error: exception.message, code: exception.code };
      if (exception.details !== undefined) body.details = exception.details;
      return { status: HTTP_STATUS_BY_KIND[exception.kind], body };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      if (typeof raw === 'object' && raw !== null && typeof (raw as ErrorBody).error === 'string' && !('statusCode' in raw)) {
        return { status, body: raw as ErrorBody };
      }
      const message = typeof raw === 'string' ? raw : ((raw as { message?: string | string[] }).message ?? exception.message);
      return { status, body: { error: Array.isArray(message) ? message[0] : message } };
    }
    const bodyParserError = describeBodyParserError(exception);
    if (bodyParserError) return bodyParserError;
    const unstorable = unstorableText(exception);
    if (unstorable) return { status: 400, body: unstorable };
    const retryable = retryableDatabaseFailure(exception);
    if (retryable) {
      this.logger.warn(`${retryable.code} under a request: ${(exception as Error)?.message}`);
      return { status: 503, body: retryable };
    }
    this.logger.error(`unhandled error: ${(exception as Error)?.stack ?? String(exception)}`);
    return { status: 500, body: { error: 'internal server error', code: 'internal' } };
  }
}

/** Errors raised by express.json() before any route runs. */
export function describeBodyParserError(error: unknown): { status: number; body: ErrorBody } | undefined {
  const type = (error as { type?: string })?.type;
  switch (type) {
    case 'entity.too.large':
      return { status: 413, body: { error: 'request body is larger than 1 MB', code: 'payload_too_large' } };
    case 'entity.parse.failed':
      return { status: 400, body: { error: 'request body is not valid JSON', code: 'invalid_json' } };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, body: { error: 'request body encoding is not supported', code: 'unsupported_encoding' } };
    case 'request.aborted':
      return { status: 400, body: { error: 'request was aborted', code: 'request_aborted' } };
    default:
      return undefined;
  }
}
