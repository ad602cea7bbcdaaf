import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import { metrics } from './metrics';

@Injectable()
export class RpcMetricsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const method = context.getHandler().name;
    const stop = metrics.rpcDuration.startTimer({ method });
    return next.handle().pipe(
      tap({
        next: () => undefined,
        complete: () => {
          stop();
          metrics.rpcRequests.inc({ method, outcome: 'ok' });
        },
        error: () => {
          stop();
          metrics.rpcRequests.inc({ method, outcome: 'error' });
        },
      }),
    );
  }
}
