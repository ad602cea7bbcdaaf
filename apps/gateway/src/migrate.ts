import 'reflect-metadata';
import { migrationSettings, loadConfig, runMigrations } from '@passway/common';
import { gatewayDataSourceOptions } from './database/gateway-database';

export function migrateGateway(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return runMigrations(gatewayDataSourceOptions(loadConfig(migrationSettings, env).DATABASE_URL, 2));
}
