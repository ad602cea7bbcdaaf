import { status as GrpcStatus } from '@grpc/grpc-js';
import { DomainErrorKind } from './domain-error';

export const GRPC_STATUS_BY_KIND: Record<DomainErrorKind, GrpcStatus> = {
  invalid_argument: GrpcStatus.INVALID_ARGUMENT,
  not_found: GrpcStatus.NOT_FOUND,
  conflict: GrpcStatus.ALREADY_EXISTS,
  forbidden: GrpcStatus.PERMISSION_DENIED,
  failed_precondition: GrpcStatus.FAILED_PRECONDITION,
  unavailable: GrpcStatus.UNAVAILABLE,
  unauthenticated: GrpcStatus.UNAUTHENTICATED,
};

/** gRPC status from a service → HTTP status at the gateway. Anything unlisted is a 502. */
export const HTTP_STATUS_BY_GRPC: Partial<Record<GrpcStatus, number>> = {
  [GrpcStatus.INVALID_ARGUMENT]: 400,
  [GrpcStatus.FAILED_PRECONDITION]: 400,
  [GrpcStatus.OUT_OF_RANGE]: 400,
  [GrpcStatus.NOT_FOUND]: 404,
  [GrpcStatus.ALREADY_EXISTS]: 409,
  [GrpcStatus.ABORTED]: 409,
  [GrpcStatus.PERMISSION_DENIED]: 403,
  [GrpcStatus.RESOURCE_EXHAUSTED]: 403,
  [GrpcStatus.UNAVAILABLE]: 503,
  [GrpcStatus.DEADLINE_EXCEEDED]: 503,
  [GrpcStatus.CANCELLED]: 503,
};

export function httpStatusForGrpc(code: number | undefined): number {
  return (code !== undefined && HTTP_STATUS_BY_GRPC[code as GrpcStatus]) || 502;
}
