import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { isPgError, PG_DUPLICATE_DATABASE, PG_DUPLICATE_SCHEMA, PG_UNIQUE_VIOLATION } from './pg-errors';
import { QueryLogger } from './query-logger';

export interface ServiceDatabase {
  url: string;
  /** The Postgres schema the service owns; no service touches another's. */
  schema: string;
  /** Entity classes (or globs), as TypeORM's options take them. */
  entities: NonNullable<PostgresDataSourceOptions['entities']>;
  /** Migration classes (or globs), as TypeORM's options take them. */
  migrations: NonNullable<PostgresDataSourceOptions['migrations']>;
  poolSize?: number;
}

export function dataSourceOptions(db: ServiceDatabase): PostgresDataSourceOptions {
  return {
    type: 'postgres',
    url: db.url,
    schema: db.schema,
    entities: db.entities,
    migrations: db.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logger: new QueryLogger(),
    extra: { max: db.poolSize ?? 10, connectionTimeoutMillis: 5_000 },
  };
}

/** Creates the database (when missing) and the service's schema, so migrations can run. */
export async function prepareDatabase(url: string, schema: string): Promise<void> {
  const target = new URL(url);
  const databaseName = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const adminClient = new Client({ connectionString: admin.toString() });
  await adminClient.connect();
  try {
    const { rowCount } = await adminClient.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (!rowCount) {
      await adminClient.query(`CREATE DATABASE "${databaseName.replace(/"/g, '""')}"`).catch((error: unknown) => {
        if (!isPgError(error, PG_DUPLICATE_DATABASE)) throw error; // created concurrently by another service
      });
    }
  } finally {
    await adminClient.end();
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`).catch((error: unknown) => {
      if (!isPgError(error, PG_UNIQUE_VIOLATION) && !isPgError(error, PG_DUPLICATE_SCHEMA)) throw error;
    });
  } finally {
    await client.end();
  }
}

/** Runs pending migrations; returns their names. */
export async function runMigrations(options: DataSourceOptions & { schema?: string; url?: string }): Promise<string[]> {
  if (options.url && options.schema) await prepareDatabase(options.url, options.schema);
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
