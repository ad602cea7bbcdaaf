import { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';
import { RequestContext } from '../context/request-context';

export type AppLogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

const PINO_LEVEL: Record<AppLogLevel, string> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** Field names whose values never reach a log line, wherever they appear. */
export const REDACTED_FIELDS = ['apiKey', 'secret', 'password', 'token', 'authorization', 'signingSecret', 'keyHash'];

const redactPaths = REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

/**
 * Structured JSON logs (pino), one object a line: app, level, time, context, and the request id,
 * tenant id and event id of the work in progress (from RequestContext).
 */
export function createPino(app: string, level: AppLogLevel, destination?: pino.DestinationStream): Pino {
  return pino(
    {
      name: app,
      level: PINO_LEVEL[level],
      base: { app, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: '[redacted]' },
      mixin() {
        const { requestId, tenantId, eventId } = RequestContext.current();
        return { ...(requestId && { requestId }), ...(tenantId && { tenantId }), ...(eventId && { eventId }) };
      },
    },
    destination,
  );
}

/** Nest's LoggerService over pino, so framework and app logs share one format. */
export class AppLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]) {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    // Nest passes (message, stack, context); keep the stack as a field.
    const [stack, ...rest] = params;
    if (typeof stack === 'string' && stack.includes('\n')) this.write('error', message, rest, { stack });
    else this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }

  private write(level: pino.Level, message: unknown, params: unknown[], extra: Record<string, unknown> = {}) {
    const context = typeof params[params.length - 1] === 'string' ? (params[params.length - 1] as string) : undefined;
    const fields = { ...extra, ...(context && { context }) };
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, String(message));
  }
}

export function createAppLogger(app: string, level: AppLogLevel): AppLogger {
  return new AppLogger(createPino(app, level));
}
