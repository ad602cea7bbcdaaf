import { applyDecorators, Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { RpcRequestContextInterceptor } from '../context/request-context';
import { RpcMetricsInterceptor } from '../observability/rpc-metrics.interceptor';
import { DomainErrorRpcFilter } from './domain-error.filter';

/** A controller of gRPC command handlers: domain errors become gRPC statuses, metadata becomes context. */
export function RpcController(): ClassDecorator {
  return applyDecorators(
    Controller(),
    UseFilters(DomainErrorRpcFilter),
    UseInterceptors(RpcRequestContextInterceptor, RpcMetricsInterceptor),
  );
}
