import 'reflect-metadata';
import { migrationSettings, loadConfig, runMigrations } from '@passway/common';
import { webhooksDataSourceOptions } from './database/webhooks-database';

export function migrateWebhooks(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return runMigrations(webhooksDataSourceOptions(loadConfig(migrationSettings, env).DATABASE_URL, 2));
}
