import 'reflect-metadata';
import { runMigrations } from '@passway/common';
import { loadGatewayConfig } from './config';
import { gatewayDataSourceOptions } from './database/gateway-database';

export function migrateGateway(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return runMigrations(gatewayDataSourceOptions(loadGatewayConfig(env).DATABASE_URL, 2));
}
