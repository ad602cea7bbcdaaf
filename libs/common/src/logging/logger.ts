import { LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import pino, { Logger as Pino } from 'pino';
import pretty from 'pino-pretty';
import { RequestContext } from '../context/request-context';

export type AppLogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';
/** `pretty`: coloured lines for a person at a terminal; `json`: one object a line; `auto`: pretty when stdout is a terminal. */
export type LogFormat = 'json' | 'pretty' | 'auto';

const PINO_LEVEL: Record<AppLogLevel, string> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** Field names whose values never reach a log line, wherever they appear. */
export const REDACTED_FIELDS = ['apiKey', 'secret', 'password', 'token', 'authorization', 'signingSecret', 'keyHash'];

const redactPaths = REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

/**
 * What Nest says while it boots (every module initialised, every route mapped): debug, not info.
 * Each app says it is up in one line of its own.
 */
const NEST_START_UP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
  'NestMicroservice',
]);

export interface LogOptions {
  format?: LogFormat;
  /** Write to stderr rather than stdout (a command whose stdout is its result). */
  stderr?: boolean;
  /** Where lines go instead (tests). */
  destination?: pino.DestinationStream;
}

export function usesPrettyLogs(format: LogFormat = 'auto', stdout: { isTTY?: boolean } = process.stdout): boolean {
  return format === 'pretty' || (format === 'auto' && stdout.isTTY === true);
}

/**
 * Structured logs (pino): app, level, time, context, and the request id, tenant id and event id of
 * the work in progress (from RequestContext), with secrets redacted. JSON, one object a line, unless
 * the format is pretty: then pino-pretty prints coloured lines for a person.
 */
export function createPino(app: string, level: AppLogLevel, { format = 'auto', stderr = false, destination }: LogOptions = {}): Pino {
  const fd = stderr ? 2 : 1;
  const stream = usesPrettyLogs(format, stderr ? process.stderr : process.stdout)
    ? pretty({
        colorize: true,
        destination: destination ?? fd,
        sync: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,name,app,context',
        messageFormat: '{if context}[{context}] {end}{msg}',
      })
    : (destination ?? pino.destination({ dest: fd, sync: true }));
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
      hooks: {
        logMethod(args, method, levelValue) {
          const [first] = args;
          const context = typeof first === 'object' && first !== null ? (first as { context?: unknown }).context : undefined;
          if (levelValue === pino.levels.values.info && typeof context === 'string' && NEST_START_UP_CONTEXTS.has(context)) {
            return this.debug(...args);
          }
          return method.apply(this, args);
        },
      },
    },
    stream as pino.DestinationStream | undefined,
  );
}

/**
 * Nest's LoggerService from nestjs-pino, over our pino: framework and app logs share one format.
 * LoggerModule's per-request pino-http logger is not mounted (see docs/decisions.md).
 */
export function createAppLogger(app: string, level: AppLogLevel, options: LogOptions = {}): LoggerService {
  const pinoLogger = new PinoLogger({ pinoHttp: { logger: createPino(app, level, options), autoLogging: false } });
  return new NestPinoLogger(pinoLogger, {});
}
