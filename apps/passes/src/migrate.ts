import 'reflect-metadata';
import { runMigrations } from '@passway/common';
import { loadPassesConfig } from './config';
import { passesDataSourceOptions } from './database/passes-database';

/** Applies the passes schema's pending migrations (run before the service starts). */
export function migratePasses(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return runMigrations(passesDataSourceOptions(loadPassesConfig(env).DATABASE_URL, 2));
}
