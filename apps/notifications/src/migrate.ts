import 'reflect-metadata';
import { migrationSettings, loadConfig, runMigrations } from '@passway/common';
import { notificationsDataSourceOptions } from './database/notifications-database';

export function migrateNotifications(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return runMigrations(notificationsDataSourceOptions(loadConfig(migrationSettings, env).DATABASE_URL, 2));
}
