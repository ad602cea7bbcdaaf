import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { canonicalJson, requestFingerprint } from './idempotency-store';

describe('idempotency fingerprints', () => {
  it('ignore object key order but not array order or values', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, 2], c: null } }), '{"a":{"c":null,"d":[1,2]},"b":1}');
    const a = requestFingerprint('POST', '/api/v1/passes', { type: 'single', name: 'x' });
    assert.equal(requestFingerprint('POST', '/api/v1/passes', { name: 'x', type: 'single' }), a);
    assert.notEqual(requestFingerprint('POST', '/api/v1/passes', { name: 'y', type: 'single' }), a);
    assert.notEqual(requestFingerprint('POST', '/api/v1/clients', { name: 'x', type: 'single' }), a);
    assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
  });

  it('treat a missing body like null', () => {
    assert.equal(requestFingerprint('POST', '/p', undefined), requestFingerprint('POST', '/p', null));
  });
});
