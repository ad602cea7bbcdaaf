import { AsyncLocalStorage } from 'node:async_hooks';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { Observable } from 'rxjs';

export interface RequestContextValues {
  requestId?: string;
  tenantId?: string;
  eventId?: string;
  /** The events the caller's key is scoped to (absent = every event). */
  eventIds?: string[];
}

const storage = new AsyncLocalStorage<RequestContextValues>();

/** Carries the request id from the HTTP edge through gRPC metadata and Kafka headers. */
export const RequestContext = {
  run<T>(values: RequestContextValues, fn: () => T): T {
    return storage.run(values, fn);
  },
  current(): RequestContextValues {
    return storage.getStore() ?? {};
  },
  /** Adds to the current context (e.g. the tenant once the API key is known). */
  assign(values: RequestContextValues): void {
    const store = storage.getStore();
    if (store) Object.assign(store, values);
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
    return new Observable((subscriber) => storage.run(values, () => next.handle().subscribe(subscriber)));
  }
}
