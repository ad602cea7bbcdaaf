import { HttpException } from '@nestjs/common';
import { UpstreamError } from '../rpc/service-client';
import { DomainError } from './domain-error';

/**
 * A clear "no" (a 4xx): the request changed nothing. Anything else (a 5xx, a deadline, a dropped
 * connection, a bug) leaves the outcome unknown: the command may have committed.
 */
export function isDefiniteRefusal(error: unknown): boolean {
  if (error instanceof UpstreamError) return error.status >= 400 && error.status < 500;
  if (error instanceof HttpException) return error.getStatus() >= 400 && error.getStatus() < 500;
  return error instanceof DomainError && error.kind !== 'unavailable';
}
