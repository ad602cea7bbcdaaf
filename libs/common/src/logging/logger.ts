import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { RequestContext } from '../context/request-context';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Adds the current request's id and tenant (RequestContext) to every JSON line written while serving it. */
class RequestAwareConsoleLogger extends ConsoleLogger {
  protected override getJsonLogObject(message: unknown, options: Parameters<ConsoleLogger['getJsonLogObject']>[1]) {
    const record = super.getJsonLogObject(message, options);
    const { requestId, tenantId } = RequestContext.current();
    if (requestId) record.requestId = requestId;
    if (tenantId) record.tenantId = tenantId;
    return record;
  }
}

/** Structured JSON logs, one object a line, named after the app. */
export function createAppLogger(app: string, level: 'error' | 'warn' | 'log' | 'debug' | 'verbose'): ConsoleLogger {
  return new RequestAwareConsoleLogger(app, {
    json: true,
    colors: false,
    logLevels: ORDER.slice(0, ORDER.indexOf(level) + 1),
  });
}
