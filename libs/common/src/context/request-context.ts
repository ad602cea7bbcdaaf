import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { ClsServiceManager, type ClsStore } from 'nestjs-cls';
import { Observable } from 'rxjs';

export interface RequestContextValues extends ClsStore {
  requestId?: string;
  tenantId?: string;
  eventId?: string;
  /** The events the caller's key is scoped to (absent = every event). */
  eventIds?: string[];
}

/**
 * nestjs-cls's global ClsService: reachable from code outside Nest's injection (the logger, Kafka
 * consumers, the gRPC client), which is where most of the context is read.
 */
const cls = ClsServiceManager.getClsService<RequestContextValues>();

/** Carries the request id from the HTTP edge through gRPC metadata and Kafka headers. */
export const RequestContext = {
  run<T>(values: RequestContextValues, fn: () => T): T {
    return cls.runWith(values, fn);
  },
  current(): RequestContextValues {
    return cls.isActive() ? cls.get() : {};
  },
  /** Adds to the current context (e.g. the tenant once the API key is known). */
  assign(values: RequestContextValues): void {
    if (cls.isActive()) Object.assign(cls.get(), values);
  },
  /** Headers to stamp on outgoing Kafka messages. */
  eventHeaders(): Record<string, string> {
    const { requestId } = RequestContext.current();
    return requestId ? { 'x-request-id': requestId } : {};
  },
};

/** Service side: runs each gRPC handler inside the request context its metadata names. */
@Injectable()
export class RpcRequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const metadata = context.switchToRpc().getContext<Metadata | undefined>();
    const read = (key: string) => (typeof metadata?.get === 'function' ? metadata.get(key)[0]?.toString() : undefined);
    const values = { requestId: read('x-request-id'), tenantId: read('x-tenant-id') };
    return new Observable((subscriber) => RequestContext.run(values, () => next.handle().subscribe(subscriber)));
  }
}
