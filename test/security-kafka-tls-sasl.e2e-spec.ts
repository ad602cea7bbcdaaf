import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { createKafka } from '../libs/common/src/kafka/kafka-client';
import { KafkaSecurityConfig } from '../libs/common/src/kafka/kafka-security';
import { TOPICS } from '../libs/common/src/events/topics';
import { Stack } from '../tools/stack';
import { closeGatewayDb, eventually } from './support/e2e-env';
import { faultTenant, faultWorld, FaultWorld, query, startFaultStack, SETUP_BUDGET_MS } from './support/fault-stack';
import { LocalKafka } from './support/kafka-brokers';
import { readTopics } from './support/topic-reader';

const APP_USER = { username: 'passway-app', password: randomBytes(18).toString('base64url') };

/**
 * The whole stack against a broker that listens only with SASL_SSL (TLS with a CA made for the
 * run, SCRAM-SHA-512 users), the apps in NODE_ENV=production with the Kafka settings the
 * manifests give them (docs/security.md#kafka). A client with a wrong password is refused.
 */
describe('security: Kafka over TLS with SCRAM-SHA-512, as in production', () => {
  let kafka: LocalKafka;
  let world: FaultWorld;
  let stack: Stack;
  let production: KafkaSecurityConfig;

  beforeAll(async () => {
    kafka = await LocalKafka.start(1, 'sasl', { saslSsl: { users: [APP_USER] } });
    production = {
      KAFKA_SSL: true,
      KAFKA_SSL_CA_FILE: kafka.caFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: APP_USER.username,
      KAFKA_SASL_PASSWORD: APP_USER.password,
    };
    world = await faultWorld('kafka_sasl', kafka, {
      NODE_ENV: 'production',
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: kafka.caFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: APP_USER.username,
      KAFKA_SASL_PASSWORD: APP_USER.password,
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
      // Production with an Apple Wallet identity (the suite's stand-in) demands an https base URL.
      PUBLIC_BASE_URL: 'https://passway.example',
    });
    // Refused in production (it is for tests and development only).
    delete world.env.WEBHOOK_ALLOW_PRIVATE_TARGETS;
    stack = await startFaultStack('kafka-sasl', world);
  }, SETUP_BUDGET_MS);

  afterAll(async () => {
    await stack?.stop();
    await kafka?.stop();
    await closeGatewayDb();
  });

  it('the apps publish and consume through the authenticated, encrypted listener', async () => {
    const { api, tenant } = await faultTenant(stack, world, 'Kafka Over TLS');
    const pass = (await api.post('/passes', { type: 'multi', maxUsages: 5, name: 'Over TLS' })).body;
    const scan = await api.post('/scan', { code: pass.code });
    assert.equal(scan.body.result, 'success', scan.text);
    // pass.scanned went scans → relay → broker → the passes service's tally, all over SASL_SSL.
    await eventually(async () => ((await api.get(`/passes/${pass.id}`)).body.usagesCount === 1 ? true : undefined), 60_000, 250);
    await eventually(
      async () => {
        const rows = await query(world, `SELECT 1 FROM webhooks.event_log WHERE tenant_id = $1 AND type = 'pass.scanned'`, [tenant.id]);
        return rows.length === 1 ? true : undefined;
      },
      60_000,
      250,
    );
    const events = await readTopics(
      kafka.client(),
      [TOPICS.passEvents.name, TOPICS.scanEvents.name],
      (event) => event.tenantId === tenant.id,
    );
    assert.deepEqual(events.map((event) => event.type).sort(), ['pass.created', 'pass.scanned']);
  });

  it('refuses a client with a wrong password, and one without TLS', async () => {
    const attempt = async (security: KafkaSecurityConfig) => {
      const admin = createKafka({ brokers: kafka.brokers.split(','), clientId: 'passway-intruder', security }).admin();
      try {
        await admin.connect();
        await admin.listTopics();
        return 'allowed';
      } catch (error) {
        return (error as Error).message;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    };
    assert.equal(await attempt(production), 'allowed', 'the right credentials are let in');
    assert.match(await attempt({ ...production, KAFKA_SASL_PASSWORD: 'not-the-password' }), /SASL SCRAM SHA512 authentication failed/i);
    assert.match(await attempt({ ...production, KAFKA_SASL_USERNAME: 'passway-nobody' }), /SASL SCRAM SHA512 authentication failed/i);
    assert.notEqual(await attempt({ ...production, KAFKA_SSL: false }), 'allowed', 'no plaintext connection');
    assert.notEqual(
      await attempt({ KAFKA_SSL: true, KAFKA_SSL_CA_FILE: kafka.caFile, KAFKA_SASL_MECHANISM: 'none' }),
      'allowed',
      'no anonymous one',
    );
  });
});
