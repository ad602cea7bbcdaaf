import 'reflect-metadata';
import { migrationSettings, loadConfig, runMigrations } from '@passway/common';
import { passesDataSourceOptions } from './database/passes-database';

/** Applies the passes schema's pending migrations (run before the service starts). */
export function migratePasses(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return runMigrations(passesDataSourceOptions(loadConfig(migrationSettings, env).DATABASE_URL, 2));
}
