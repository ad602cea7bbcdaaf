/**
 * What a service can refuse, independent of transport. The gateway turns each kind into one
 * HTTP status (see error-mapping.ts); nothing a caller can cause becomes a 500.
 */
export type DomainErrorKind =
  | 'invalid_argument'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'failed_precondition'
  | 'unavailable'
  /** A gRPC call without a valid service token. */
  | 'unauthenticated';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly code: string = kind,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalidArgument = (message: string, code = 'invalid_argument', details?: unknown) =>
  new DomainError('invalid_argument', message, code, details);
export const notFound = (what: string) => new DomainError('not_found', `${what} not found`, 'not_found');
export const conflict = (message: string, code = 'conflict') => new DomainError('conflict', message, code);
export const forbidden = (message: string, code = 'forbidden') => new DomainError('forbidden', message, code);
export const failedPrecondition = (message: string, code = 'failed_precondition') => new DomainError('failed_precondition', message, code);

/** The JSON error body of the REST contract: `{ "error": "message" }`, optionally with `code` and `details`. */
export interface ErrorBody {
  error: string;
  code?: string;
  details?: unknown;
}
