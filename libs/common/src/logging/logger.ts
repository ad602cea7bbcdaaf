import { ConsoleLogger, LogLevel } from '@nestjs/common';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Structured JSON logs, one object a line, named after the app. */
export function createAppLogger(app: string, level: 'error' | 'warn' | 'log' | 'debug' | 'verbose'): ConsoleLogger {
  return new ConsoleLogger(app, {
    json: true,
    colors: false,
    logLevels: ORDER.slice(0, ORDER.indexOf(level) + 1),
  });
}
