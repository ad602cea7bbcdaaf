import { INestApplication, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { Readiness } from '../health/readiness';

/**
 * Once shutting down, every response asks its client to close the connection: under steady load
 * keep-alive connections never go idle, and the HTTP server could not finish closing otherwise.
 */
export function closeConnectionsWhenDraining(readiness: Readiness) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (readiness.isShuttingDown) res.setHeader('Connection', 'close');
    next();
  };
}

/**
 * SIGTERM/SIGINT: report not-ready, let Nest run every onModuleDestroy/beforeApplicationShutdown
 * hook (consumers commit and leave, relays finish their batch, servers drain), and exit
 * within the grace period whatever happens.
 */
export function handleShutdownSignals(app: INestApplication, readiness: Readiness, graceMs: number): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received, shutting down`);
    readiness.markShuttingDown();
    (app.getHttpServer() as Server | undefined)?.closeIdleConnections?.();
    const deadline = setTimeout(() => {
      logger.error(`shutdown took longer than ${graceMs} ms, exiting`);
      process.exit(1);
    }, graceMs);
    deadline.unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
