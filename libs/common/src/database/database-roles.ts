import { Client } from 'pg';
import { isPgError, PG_DUPLICATE_OBJECT, PG_UNIQUE_VIOLATION } from './pg-errors';

/** The apps that connect to PostgreSQL, each as its own role limited to its own schema. */
export const SERVICE_SCHEMAS = ['gateway', 'passes', 'scans', 'webhooks', 'notifications'] as const;
export type ServiceSchema = (typeof SERVICE_SCHEMAS)[number];

export interface ServiceRole {
  role: string;
  password?: string;
}

/**
 * Each app's role: the user (and password) of `DATABASE_URL_<APP>` when set (production: from the
 * Secret), else `passway_<schema>` without a password (local trust authentication).
 */
export function serviceRoles(env: NodeJS.ProcessEnv): Record<ServiceSchema, ServiceRole> {
  const roles = {} as Record<ServiceSchema, ServiceRole>;
  for (const schema of SERVICE_SCHEMAS) {
    const url = env[`DATABASE_URL_${schema.toUpperCase()}`]?.trim();
    if (url) {
      const parsed = new URL(url);
      roles[schema] = {
        role: decodeURIComponent(parsed.username),
        password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
      };
    } else {
      roles[schema] = { role: `passway_${schema}` };
    }
  }
  return roles;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Run by the migration role after the migrations: makes sure each app's role exists and may use
 * its own schema's rows and sequences, and nothing else (no DDL, no other schema). Default
 * privileges cover tables that later migrations create. A role's password is set when its
 * DATABASE_URL_<APP> carries one.
 */
export async function grantServiceRoles(url: string, roles: Record<ServiceSchema, ServiceRole>): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const database = (await client.query('SELECT current_database() AS name, current_user AS owner')).rows[0] as {
      name: string;
      owner: string;
    };
    const granted: string[] = [];
    for (const schema of SERVICE_SCHEMAS) {
      const { role, password } = roles[schema];
      const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount;
      if (!exists) {
        await client.query(`CREATE ROLE ${quoteIdent(role)} LOGIN`).catch((error: unknown) => {
          if (!isPgError(error, PG_DUPLICATE_OBJECT) && !isPgError(error, PG_UNIQUE_VIOLATION)) throw error; // created concurrently
        });
      }
      if (password) await client.query(`ALTER ROLE ${quoteIdent(role)} WITH LOGIN PASSWORD ${quoteLiteral(password)}`);
      const r = quoteIdent(role);
      const s = quoteIdent(schema);
      for (const statement of [
        `GRANT CONNECT ON DATABASE ${quoteIdent(database.name)} TO ${r}`,
        `REVOKE CREATE ON SCHEMA public FROM ${r}`,
        `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
        `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${r}`,
      ]) {
        await client.query(statement);
      }
      granted.push(role);
    }
    return granted;
  } finally {
    await client.end();
  }
}

/** The URL an app connects with: its DATABASE_URL_<APP>, else the migration role's URL with the app's role as the user. */
export function serviceDatabaseUrl(env: NodeJS.ProcessEnv, schema: ServiceSchema): string {
  const own = env[`DATABASE_URL_${schema.toUpperCase()}`]?.trim();
  if (own) return own;
  const target = new URL(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/passway');
  target.username = serviceRoles(env)[schema].role;
  target.password = '';
  return target.toString();
}
