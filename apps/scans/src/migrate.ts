import 'reflect-metadata';
import { migrationSettings, loadConfig, runMigrations } from '@passway/common';
import { scansDataSourceOptions } from './database/scans-database';

export function migrateScans(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return runMigrations(scansDataSourceOptions(loadConfig(migrationSettings, env).DATABASE_URL, 2));
}
