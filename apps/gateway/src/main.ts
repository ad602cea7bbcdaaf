import '@passway/common/runtime/source-maps';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import {
  closeConnectionsWhenDraining,
  createAppLogger,
  describeBodyParserError,
  handleShutdownSignals,
  httpMetricsMiddleware,
  Readiness,
  runMain,
  withObservability,
} from '@passway/common';
import express, { NextFunction, Request, Response } from 'express';
import { GatewayAppModule } from './app.module';
import { loadGatewayConfig } from './config';
import { CONSOLE_PATH, consoleStaticHandler } from './console/console-static';
import { accessLogMiddleware } from './http/access-log.middleware';
import { requestIdMiddleware } from './http/request-id.middleware';
import { setupOpenApi } from './openapi/openapi';
import { PerIpRateLimits } from './rate-limit/per-ip-rate-limit';

export const BODY_LIMIT = '1mb';
/** Longer than the 60 s idle timeout of the proxies in front (see where it is set). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

runMain('gateway', async () => {
  const config = loadGatewayConfig();
  const logger = createAppLogger('gateway', config.LOG_LEVEL, { format: config.LOG_FORMAT });
  const app = await NestFactory.create<NestExpressApplication>(withObservability(GatewayAppModule, 'gateway'), {
    logger,
    bodyParser: false,
    bufferLogs: true,
  });
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  app.use(requestIdMiddleware);
  app.use(closeConnectionsWhenDraining(app.get(Readiness)));
  app.use(httpMetricsMiddleware);
  app.use(accessLogMiddleware);
  app.use(express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }));
  const bodyErrors = (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const described = describeBodyParserError(error);
    if (!described) return next(error);
    res.status(described.status).json(described.body);
  };
  app.use(bodyErrors);
  app.enableCors({
    origin: config.CORS_ORIGINS === '*' ? true : config.CORS_ORIGINS.split(',').map((origin) => origin.trim()),
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: [
      'X-Total-Count',
      'Link',
      'X-Request-Id',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
      'Retry-After',
      'RateLimit',
      'RateLimit-Policy',
      'Idempotent-Replayed',
    ],
    maxAge: 600,
  });
  const perIp = app.get(PerIpRateLimits);
  app.use('/p/portal', perIp.holderPortal(), express.urlencoded({ extended: false, limit: '10kb' }));
  // Logo and icon uploads are the file itself: read as bytes (the passes service refuses more than 1 MB with a 400).
  const imageUpload = express.raw({ type: () => true, limit: '2mb' });
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.method === 'PUT' && /^\/api\/v1\/(templates|events)\/[^/]+\/images\/[^/]+$/.test(req.path) ? imageUpload(req, res, next) : next(),
  );
  app.use(bodyErrors);
  app.use('/images', perIp.publicPage());
  app.use('/p', perIp.publicPage());
  app.use('/api/v1/devices/pair', perIp.devicePairing());
  app.use('/wallet', perIp.walletService());
  app.use('/e', perIp.selfCheckIn(), express.urlencoded({ extended: false, limit: '10kb' }));
  app.use(CONSOLE_PATH, consoleStaticHandler(config.CONSOLE_DIR));
  setupOpenApi(app);
  handleShutdownSignals(app, app.get(Readiness), config.SHUTDOWN_GRACE_MS);
  await app.listen(config.PORT, '0.0.0.0');
  // An idle keep-alive connection outlives a proxy's (an Ingress's upstream keepalive, a cloud load
  // balancer: 60 s). Closing it first races the proxy's next request on it, which then fails (502).
  const server = app.getHttpServer();
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  logger.log(`gateway listening on http://localhost:${config.PORT} (API under /api/v1)`);
});
