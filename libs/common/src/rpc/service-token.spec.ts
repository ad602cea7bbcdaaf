import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { loadConfig } from '../config/config';
import { sharedSettings } from '../config/shared-settings';
import { grpcMethodPath, ServiceTokens } from './service-token';

describe('service tokens', () => {
  const path = grpcMethodPath('PassesService', 'GetPass');
  const payload = '{"tenantId":"t","id":"p"}';
  const tokens = new ServiceTokens('a-key-of-at-least-thirty-two-characters!');

  it('verify a token for its method and command within a minute, and nothing else', () => {
    const now = 1_800_000_000_000;
    const token = tokens.sign(path, payload, now);
    assert.match(token, /^v1\.\d+\.[A-Za-z0-9_-]{43}$/);
    assert.equal(tokens.verify(token, path, payload, now + 59_000), 'valid');
    assert.equal(tokens.verify(token, path, payload, now + 61_000), 'expired');
    assert.equal(tokens.verify(token, grpcMethodPath('PassesService', 'RevokePass'), payload, now), 'bad_signature');
    assert.equal(tokens.verify(token, path, '{"tenantId":"u","id":"p"}', now), 'bad_signature');
    assert.equal(tokens.verify(undefined, path, payload, now), 'missing');
    assert.equal(tokens.verify('v1.x.y', path, payload, now), 'malformed');
    assert.equal(new ServiceTokens('another-key-of-at-least-thirty-two-chars').verify(token, path, payload, now), 'bad_signature');
  });

  it('accept the previous key during a rotation', () => {
    const old = new ServiceTokens('the-old-key-of-at-least-thirty-two-chars');
    const rotated = new ServiceTokens('the-new-key-of-at-least-thirty-two-chars', 'the-old-key-of-at-least-thirty-two-chars');
    assert.equal(rotated.verify(old.sign(path, payload), path, payload), 'valid');
    assert.equal(old.verify(rotated.sign(path, payload), path, payload), 'bad_signature', 'new tokens use the new key');
  });

  it('have a development key outside production only', () => {
    assert.ok(loadConfig(sharedSettings, {}).SERVICE_TOKEN_KEY.length >= 32);
    assert.throws(() => loadConfig(sharedSettings, { NODE_ENV: 'production' }), /SERVICE_TOKEN_KEY is required/);
    const dev = loadConfig(sharedSettings, {}).SERVICE_TOKEN_KEY;
    assert.throws(
      () => loadConfig(sharedSettings, { NODE_ENV: 'production', SERVICE_TOKEN_KEY: dev }),
      /SERVICE_TOKEN_KEY is the development value/,
    );
    assert.throws(() => loadConfig(sharedSettings, { NODE_ENV: 'production', SERVICE_TOKEN_KEY: 'short' }), /at least 32 characters/);
  });
});
