import 'reflect-metadata';
import { runMigrations } from '@passway/common';
import { loadWebhooksConfig } from './config';
import { webhooksDataSourceOptions } from './database/webhooks-database';

export function migrateWebhooks(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return runMigrations(webhooksDataSourceOptions(loadWebhooksConfig(env).DATABASE_URL, 2));
}
