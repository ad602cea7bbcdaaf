import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { RequestContext } from '@passway/common';
import { Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/principal';

/** Runs each API handler inside the request's context, so log lines and Kafka headers carry its id and tenant. */
@Injectable()
export class HttpRequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const values = {
      requestId: request.requestId,
      tenantId: request.principal?.tenant.id,
      eventIds: request.principal?.eventIds ?? undefined,
    };
    return new Observable((subscriber) => RequestContext.run(values, () => next.handle().subscribe(subscriber)));
  }
}
