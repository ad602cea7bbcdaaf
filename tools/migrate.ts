import 'reflect-metadata';
import {
  ALL_TOPICS,
  createKafka,
  ensureTopics,
  grantServiceRoles,
  loadConfig,
  migrationSettings,
  serviceRoles,
  topicSettings,
} from '@passway/common';
import { migrateGateway } from '../apps/gateway/src/migrate';
import { migrateNotifications } from '../apps/notifications/src/migrate';
import { migratePasses } from '../apps/passes/src/migrate';
import { migrateScans } from '../apps/scans/src/migrate';
import { migrateWebhooks } from '../apps/webhooks/src/migrate';

/** Every service's schema migrations, then the Kafka topics: what must exist before the apps start. */
export async function migrateAll(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.error): Promise<void> {
  const steps: [string, (env: NodeJS.ProcessEnv) => Promise<string[]>][] = [
    ['gateway', migrateGateway],
    ['passes', migratePasses],
    ['scans', migrateScans],
    ['webhooks', migrateWebhooks],
    ['notifications', migrateNotifications],
  ];
  for (const [schema, migrate] of steps) {
    const applied = await migrate(env);
    log(`migrate: ${schema}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
  }
  const granted = await grantServiceRoles(loadConfig(migrationSettings, env).DATABASE_URL, serviceRoles(env));
  log(`migrate: database roles: ${granted.join(', ')} (each limited to its own schema)`);
  const config = loadConfig(topicSettings, env);
  const kafka = createKafka({ brokers: [...config.KAFKA_BROKERS], clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-migrate`, security: config });
  const created = await ensureTopics(kafka, ALL_TOPICS, config.KAFKA_TOPIC_REPLICATION_FACTOR);
  log(`migrate: kafka topics: ${created.length ? `created ${created.join(', ')}` : 'up to date'}`);
}

if (require.main === module) {
  migrateAll().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`migrate failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
