import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { isRetryableStatus } from './email-transport';

describe('which Resend answers are retried', () => {
  it('retries 429, 5xx, no answer and a concurrent request with the same key', () => {
    for (const status of [429, 500, 502, 503]) assert.equal(isRetryableStatus(status), true, String(status));
    assert.equal(isRetryableStatus(null), true);
    assert.equal(isRetryableStatus(409, 'concurrent_idempotent_requests'), true);
  });

  it('gives up on other 4xx', () => {
    for (const status of [400, 401, 403, 404, 422]) assert.equal(isRetryableStatus(status), false, String(status));
    assert.equal(isRetryableStatus(409, 'invalid_idempotent_request'), false);
  });
});
