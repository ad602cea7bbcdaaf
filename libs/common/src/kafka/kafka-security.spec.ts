import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import { loadConfig } from '../config/config';
import { sharedSettings, topicSettings } from '../config/shared-settings';
import { kafkaSecurityOptions, kafkaSecuritySettings } from './kafka-security';

/** What every Kafka-using service reads (the gateway does not use Kafka). */
const serviceSpec = { ...sharedSettings, ...kafkaSecuritySettings };

const PRODUCTION = { NODE_ENV: 'production', SERVICE_TOKEN_KEY: 'a-production-service-token-key-0123456789' };
const SECURED = {
  KAFKA_SSL: 'true',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'passway-scans',
  KAFKA_SASL_PASSWORD: 'pw',
};

describe('Kafka TLS and SASL settings', () => {
  it('are off by default outside production', () => {
    const config = loadConfig(serviceSpec, {});
    assert.equal(config.KAFKA_SSL, false);
    assert.equal(config.KAFKA_SASL_MECHANISM, 'none');
    assert.deepEqual(kafkaSecurityOptions(config), {});
  });

  it('are required in production, for the apps and for the migration step alike', () => {
    for (const spec of [serviceSpec, topicSettings]) {
      assert.throws(
        () => loadConfig(spec, PRODUCTION),
        (error: Error) => {
          assert.match(error.message, /KAFKA_SSL must be true in production/);
          assert.match(error.message, /KAFKA_SASL_MECHANISM must be set in production/);
          return true;
        },
      );
      assert.doesNotThrow(() => loadConfig(spec, { ...PRODUCTION, ...SECURED }));
    }
    assert.throws(
      () => loadConfig(serviceSpec, { ...PRODUCTION, ...SECURED, KAFKA_SASL_PASSWORD: '' }),
      /KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM/,
    );
  });

  it('BENCH_MODE lifts the transport rule in production only when every broker is on loopback', () => {
    const bench = { ...PRODUCTION, BENCH_MODE: 'true' };
    for (const brokers of ['127.0.0.1:19194', 'localhost:9092,127.0.0.2:9093']) {
      const config = loadConfig(serviceSpec, { ...bench, KAFKA_BROKERS: brokers });
      assert.equal(config.KAFKA_SSL, false);
      assert.deepEqual(kafkaSecurityOptions(config), {});
    }
    for (const brokers of ['kafka.internal:9093', '127.0.0.1:9092,10.0.0.5:9092']) {
      assert.throws(() => loadConfig(serviceSpec, { ...bench, KAFKA_BROKERS: brokers }), /KAFKA_SSL must be true in production/);
    }
    assert.throws(() => loadConfig(topicSettings, { ...PRODUCTION, KAFKA_BROKERS: '127.0.0.1:9092' }), /KAFKA_SSL must be true/);
  });

  it('become kafkajs ssl and sasl options, with the CA read from its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-ca-'));
    const ca = join(dir, 'ca.crt');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const config = loadConfig(serviceSpec, { ...SECURED, KAFKA_SSL_CA_FILE: ca });
    assert.deepEqual(kafkaSecurityOptions(config), {
      ssl: { ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'] },
      sasl: { mechanism: 'scram-sha-512', username: 'passway-scans', password: 'pw' },
    });
    assert.deepEqual(kafkaSecurityOptions(loadConfig(serviceSpec, { KAFKA_SSL: 'true' })), { ssl: true });
  });
});
