import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { perMinuteLimit, writeRateLimitHeaders } from './rate-limit-policy';

function fakeResponse() {
  const headers: Record<string, string> = {};
  return { headers, res: { setHeader: (name: string, value: string) => (headers[name] = value) } as any };
}

describe('rate-limit headers', () => {
  it('writes REST-contract and IETF draft headers for an allowed request', () => {
    const { headers, res } = fakeResponse();
    writeRateLimitHeaders(
      res,
      { policy: { name: 'manage', limit: 30, windowSeconds: 60 }, allowed: true, remaining: 12, msBeforeReset: 41_200 },
      1_700_000_000_000,
    );
    assert.deepEqual(headers, {
      'X-RateLimit-Limit': '30',
      'X-RateLimit-Remaining': '12',
      'X-RateLimit-Reset': '1700000042',
      'RateLimit-Policy': '"manage";q=30;w=60',
      RateLimit: '"manage";r=12;t=42',
    });
  });

  it('adds Retry-After (at least 1 s) to a refusal', () => {
    const { headers, res } = fakeResponse();
    writeRateLimitHeaders(res, {
      policy: { name: 'integrations', limit: 10, windowSeconds: 60 },
      allowed: false,
      remaining: 0,
      msBeforeReset: 10,
    });
    assert.equal(headers['Retry-After'], '1');
  });

  it('scales the integrations group with the tenant figure', () => {
    const defaults = { manage: 30, integrations: 10 };
    assert.equal(perMinuteLimit('manage', null, defaults), 30);
    assert.equal(perMinuteLimit('integrations', null, defaults), 10);
    assert.equal(perMinuteLimit('manage', 90, defaults), 90);
    assert.equal(perMinuteLimit('integrations', 90, defaults), 30);
    assert.equal(perMinuteLimit('integrations', 2, defaults), 1);
  });
});
