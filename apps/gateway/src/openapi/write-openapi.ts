import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { withObservability } from '@passway/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { GatewayAppModule } from '../app.module';
import { buildOpenApiDocument } from './openapi';

/**
 * Writes the gateway's OpenAPI document and the SDK's TypeScript types without a running stack:
 * the app is created in preview mode (no provider is instantiated, nothing connects), which is
 * enough for Swagger to read the controllers and DTOs. `npm run build` calls it.
 *
 * usage: node write-openapi.js <openapi.json> <schema.d.ts>
 */
export async function writeOpenApi(documentPath: string, typesPath: string): Promise<void> {
  const app = await NestFactory.create(withObservability(GatewayAppModule, 'gateway'), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    const document = buildOpenApiDocument(app);
    const json = `${JSON.stringify(document, null, 2)}\n`;
    const types = astToString(await openapiTS(JSON.parse(json) as OpenAPI3));
    for (const [path, text] of [
      [documentPath, json],
      [typesPath, types],
    ]) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  const [documentPath, typesPath] = process.argv.slice(2);
  if (!documentPath || !typesPath) {
    console.error('usage: write-openapi <openapi.json> <schema.d.ts>');
    process.exit(64);
  }
  writeOpenApi(documentPath, typesPath).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
