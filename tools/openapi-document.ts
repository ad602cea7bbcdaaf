import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { GatewayAppModule } from '../apps/gateway/src/app.module';
import { buildOpenApiDocument } from '../apps/gateway/src/openapi/openapi';

/**
 * The gateway's OpenAPI document without a database, Redis or Kafka: Nest's preview mode builds
 * the module graph (controllers, DTO metadata) without instantiating providers.
 */
export async function gatewayOpenApiDocument(): Promise<object> {
  const app = await NestFactory.create(GatewayAppModule, { preview: true, logger: false, abortOnError: false });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  const target = process.argv[2];
  gatewayOpenApiDocument()
    .then((document) => {
      const json = `${JSON.stringify(document, null, 2)}\n`;
      if (target) writeFileSync(target, json);
      else process.stdout.write(json);
    })
    .catch((error) => {
      process.stderr.write(`openapi: ${error.stack ?? error}\n`);
      process.exit(1);
    });
}
