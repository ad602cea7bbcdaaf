import 'reflect-metadata';
import { runMigrations } from '@passway/common';
import { loadScansConfig } from './config';
import { scansDataSourceOptions } from './database/scans-database';

export function migrateScans(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return runMigrations(scansDataSourceOptions(loadScansConfig(env).DATABASE_URL, 2));
}
