import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { ConfigError, loadConfig, redactUrl, setting } from './config';

describe('loadConfig', () => {
  const spec = {
    PORT: setting.port(3000),
    DATABASE_URL: setting.url('postgres://localhost/db', ['postgres']),
    BROKERS: setting.hostPortList('127.0.0.1:9092'),
    MODE: setting.oneOf(['a', 'b'] as const, 'a'),
    FLAG: setting.bool(false),
    SECRET: setting.secret(undefined, 8),
  };

  it('applies defaults and parses values', () => {
    const config = loadConfig(spec, { SECRET: 'longenough', PORT: '8080', BROKERS: 'k1:9092, k2:9093', FLAG: 'true' });
    assert.equal(config.PORT, 8080);
    assert.equal(config.DATABASE_URL, 'postgres://localhost/db');
    assert.deepEqual(config.BROKERS, ['k1:9092', 'k2:9093']);
    assert.equal(config.MODE, 'a');
    assert.equal(config.FLAG, true);
  });

  it('reports every bad value in one error, one line each, without leaking passwords', () => {
    assert.throws(
      () => loadConfig(spec, { PORT: '99999', DATABASE_URL: 'mysql://u:hunter2@h/db', BROKERS: 'nope', MODE: 'c', FLAG: 'maybe' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 6);
        assert.match(error.message, /PORT must be between 1 and 65535 \(got 99999\)/);
        assert.match(error.message, /DATABASE_URL must use postgres/);
        assert.match(error.message, /BROKERS must be a comma-separated list of host:port/);
        assert.match(error.message, /MODE must be one of a, b/);
        assert.match(error.message, /FLAG must be true or false/);
        assert.match(error.message, /SECRET is required/);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
  });

  it('says a value that is not a URL at all is not one', () => {
    assert.throws(
      () => loadConfig({ DATABASE_URL: setting.url(undefined, ['postgres']) }, { DATABASE_URL: 'REPLACE_ME' }),
      /DATABASE_URL must be a URL \(got "REPLACE_ME"\)/,
    );
  });

  it('redacts URL passwords', () => {
    assert.equal(redactUrl('postgres://user:secret@host:5432/db'), 'postgres://user:***@host:5432/db');
  });

  it('refuses a development fallback secret in production', () => {
    const secretSpec = { LINK_SECRET: setting.secret('dev-only-fallback-secret', 16, { requiredInProduction: true }) };
    assert.equal(loadConfig(secretSpec, { NODE_ENV: 'development' }).LINK_SECRET, 'dev-only-fallback-secret');
    assert.throws(() => loadConfig(secretSpec, { NODE_ENV: 'production' }), /LINK_SECRET is required/);
    assert.equal(
      loadConfig(secretSpec, { NODE_ENV: 'production', LINK_SECRET: 'a-real-production-secret' }).LINK_SECRET,
      'a-real-production-secret',
    );
  });
});
