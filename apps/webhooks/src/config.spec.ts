import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { ConfigError } from '@passway/common';
import { loadWebhooksConfig } from './config';

/** The settings every app needs in production besides its own. */
const PRODUCTION = {
  NODE_ENV: 'production',
  SERVICE_TOKEN_KEY: 'a-production-service-token-key-0123456789',
  KAFKA_SSL: 'true',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'passway-webhooks',
  KAFKA_SASL_PASSWORD: 'pw',
};

describe('webhooks configuration', () => {
  it('has safe defaults: private targets refused, quota 25, 10 s timeout, the standard schedule', () => {
    const config = loadWebhooksConfig({});
    assert.equal(config.WEBHOOK_ALLOW_PRIVATE_TARGETS, false);
    assert.equal(config.WEBHOOK_QUOTA, 25);
    assert.equal(config.WEBHOOK_TIMEOUT_MS, 10_000);
    assert.equal(config.WEBHOOK_RETRY_DELAYS_MS.length, 7);
    assert.equal(config.WEBHOOK_SECRET_KEY.length, 32);
  });

  it('reads WEBHOOK_RETRY_DELAYS_MS and WEBHOOK_SECRET_KEY', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const config = loadWebhooksConfig({ WEBHOOK_RETRY_DELAYS_MS: '200, 400,800', WEBHOOK_SECRET_KEY: key });
    assert.deepEqual(config.WEBHOOK_RETRY_DELAYS_MS, [200, 400, 800]);
    assert.deepEqual(config.WEBHOOK_SECRET_KEY, Buffer.alloc(32, 1));
  });

  it('refuses a key that is not 32 bytes of base64, bad delays, and the development key in production', () => {
    assert.throws(
      () => loadWebhooksConfig({ WEBHOOK_SECRET_KEY: 'short' }),
      (e: unknown) => e instanceof ConfigError && /WEBHOOK_SECRET_KEY/.test(e.message),
    );
    assert.throws(() => loadWebhooksConfig({ WEBHOOK_SECRET_KEY: Buffer.alloc(16).toString('base64') }), ConfigError);
    assert.throws(() => loadWebhooksConfig({ WEBHOOK_RETRY_DELAYS_MS: '5s,10s' }), ConfigError);
    assert.throws(() => loadWebhooksConfig({ NODE_ENV: 'production' }), /WEBHOOK_SECRET_KEY is required/);
    assert.doesNotThrow(() => loadWebhooksConfig({ ...PRODUCTION, WEBHOOK_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') }));
  });

  it('refuses WEBHOOK_ALLOW_PRIVATE_TARGETS in production', () => {
    const production = { ...PRODUCTION, WEBHOOK_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') };
    assert.throws(
      () => loadWebhooksConfig({ ...production, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }),
      /WEBHOOK_ALLOW_PRIVATE_TARGETS must not be set in production/,
    );
    assert.equal(loadWebhooksConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).WEBHOOK_ALLOW_PRIVATE_TARGETS, true);
    // The bench's mode allows them only next to a broker on loopback.
    const bench = { ...production, BENCH_MODE: 'true', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };
    assert.equal(loadWebhooksConfig({ ...bench, KAFKA_BROKERS: '127.0.0.1:19194' }).WEBHOOK_ALLOW_PRIVATE_TARGETS, true);
    assert.throws(() => loadWebhooksConfig({ ...bench, KAFKA_BROKERS: 'kafka:9093' }), /WEBHOOK_ALLOW_PRIVATE_TARGETS must not/);
  });
});
