import 'reflect-metadata';
import { runMigrations } from '@passway/common';
import { loadNotificationsConfig } from './config';
import { notificationsDataSourceOptions } from './database/notifications-database';

export function migrateNotifications(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return runMigrations(notificationsDataSourceOptions(loadNotificationsConfig(env).DATABASE_URL, 2));
}
