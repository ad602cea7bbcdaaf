import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { GatewayAppModule } from '../apps/gateway/src/app.module';
import { listRoutes } from '../apps/gateway/src/openapi/route-inventory';
import { ApiClient, ApiResponse } from './support/api-client';
import { createTenantWithDefaultLimits } from './support/policies';
import { anonymousApi, closeGatewayDb, createTenant, eventually, issueKey, sharedGatewayUrl } from './support/e2e-env';
import { GatewayProcess, startGateway, uniqueClientIp } from './support/gateway-process';

function rateHeaders(response: ApiResponse) {
  const h = (name: string) => response.headers.get(name);
  return {
    limit: Number(h('x-ratelimit-limit')),
    remaining: Number(h('x-ratelimit-remaining')),
    reset: Number(h('x-ratelimit-reset')),
    policy: h('ratelimit-policy'),
    current: h('ratelimit'),
    retryAfter: h('retry-after'),
  };
}

describe('rate limits and their headers', () => {
  afterAll(() => closeGatewayDb());

  it('sends X-RateLimit-* and IETF RateLimit headers on every API response, and 429 with Retry-After past the limit', async () => {
    const tenant = await createTenant({ name: 'Limits Three', rateLimitPerMinute: 3 });
    const before = Math.floor(Date.now() / 1000);
    const responses = [
      await tenant.api.get('/passes'),
      await tenant.api.post('/passes', { type: 'bogus' }),
      await tenant.api.get('/passes/00000000-0000-4000-8000-000000000000'),
    ];
    const after = Math.ceil(Date.now() / 1000);
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 400, 404],
    );
    responses.forEach((response, i) => {
      const h = rateHeaders(response);
      assert.equal(h.limit, 3);
      assert.equal(h.remaining, 2 - i);
      assert.ok(h.reset >= before && h.reset <= after + 61, `X-RateLimit-Reset is a Unix time within the minute (${h.reset})`);
      assert.equal(h.policy, '"manage";q=3;w=60');
      assert.match(h.current!, new RegExp(`^"manage";r=${2 - i};t=\\d+$`));
      assert.equal(h.retryAfter, null);
    });
    const refused = await tenant.api.get('/passes');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.code, 'rate_limited');
    assert.match(refused.body.error, /Rate limit of 3 requests per minute/);
    const h = rateHeaders(refused);
    assert.equal(h.remaining, 0);
    assert.ok(Number(h.retryAfter) >= 1 && Number(h.retryAfter) <= 60, `Retry-After ${h.retryAfter}`);
    assert.ok(refused.headers.get('x-request-id'));
    assert.equal((await tenant.api.post('/passes', { type: 'single' })).status, 429, 'a refused create does nothing');
  });

  it('counts per API key: another key of the same tenant has its own budget', async () => {
    const tenant = await createTenant({ name: 'Limits Per Key', rateLimitPerMinute: 1 });
    assert.equal((await tenant.api.get('/passes')).status, 200);
    assert.equal((await tenant.api.get('/passes')).status, 429);
    const second = await issueKey(tenant.tenant.id, 'staff');
    const response = await second.api.get('/passes');
    assert.equal(response.status, 200);
    assert.equal(rateHeaders(response).remaining, 0);
  });

  it('applies the default 30/min to tenants without a figure of their own', async () => {
    const tenant = await createTenantWithDefaultLimits('Limits Default');
    const h = rateHeaders(await tenant.api.get('/clients'));
    assert.equal(h.limit, 30);
    assert.equal(h.remaining, 29);
  });

  it('counts the integrations group (/webhooks, /triggers) separately, at a third of the tenant figure', async () => {
    const integration = listRoutes(GatewayAppModule).find((r) => r.access?.rateGroup === 'integrations' && r.method === 'GET');
    assert.ok(integration, 'a GET route in the integrations group');
    const tenant = await createTenant({ name: 'Limits Integrations', rateLimitPerMinute: 6 });
    const path = integration.path.replace(/:\w+/g, '00000000-0000-4000-8000-000000000000');
    await tenant.api.get('/passes');
    const first = await tenant.api.request('GET', path);
    assert.equal(rateHeaders(first).limit, 2);
    assert.equal(rateHeaders(first).remaining, 1);
    assert.match(rateHeaders(first).policy!, /^"integrations";q=2;w=60$/);
    await tenant.api.request('GET', path);
    assert.equal((await tenant.api.request('GET', path)).status, 429);
    assert.equal((await tenant.api.get('/passes')).status, 200, 'the manage group still has budget');
  });

  it('answers CORS preflight on API routes without a key and without counting it', async () => {
    const tenant = await createTenant({ name: 'Limits CORS', rateLimitPerMinute: 2 });
    for (const path of ['/api/v1/passes', '/api/v1/passes/abc/revoke', '/api/v1/api-keys', '/api/v1/anything-at-all']) {
      const preflight = await fetch(`${sharedGatewayUrl()}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,idempotency-key,x-request-id',
        },
      });
      assert.equal(preflight.status, 204, path);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example.com');
      assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.match((preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase(), /idempotency-key/);
    }
    const simple = await tenant.api.get('/passes', { headers: { origin: 'https://app.example.com' } });
    assert.equal(simple.status, 200);
    assert.equal(simple.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.match(simple.headers.get('access-control-expose-headers') ?? '', /X-RateLimit-Remaining/);
    assert.equal(rateHeaders(simple).remaining, 1, 'preflights did not count');
  });

  describe('per-IP limits for unauthenticated traffic (a gateway with low figures)', () => {
    let gateway: GatewayProcess;
    beforeAll(async () => {
      gateway = await startGateway('limits-per-ip', {
        AUTH_FAILURES_PER_IP_PER_MINUTE: '3',
        PUBLIC_PAGE_PER_IP_PER_MINUTE: '4',
        TRUST_PROXY_HOPS: '1',
      });
    });
    afterAll(() => gateway.stop());

    it('refuses an address with 429 after too many failed authentications, before checking its keys', async () => {
      const tenant = await createTenant({ name: 'Limits Brute Force' }, gateway.url);
      const ip = uniqueClientIp();
      const fromIp = { 'x-forwarded-for': ip };
      const bad = new ApiClient(gateway.url, `pwk_${'B'.repeat(43)}`);
      for (let i = 0; i < 5; i += 1) {
        await fetch(`${gateway.url}/api/v1/passes`, {
          method: 'OPTIONS',
          headers: { ...fromIp, origin: 'https://x.example', 'access-control-request-method': 'GET' },
        });
      }
      const failures = [
        await bad.get('/passes', { headers: fromIp }),
        await bad.get('/passes', { headers: fromIp }),
        await anonymousApi(gateway.url).get('/api/v1/passes', { headers: fromIp }),
      ];
      assert.deepEqual(
        failures.map((r) => r.status),
        [401, 401, 401],
      );
      assert.deepEqual(
        failures.map((r) => rateHeaders(r).remaining),
        [2, 1, 0],
        'preflights did not count as failures',
      );
      const blocked = await tenant.api.get('/passes', { headers: fromIp });
      assert.equal(blocked.status, 429, 'even a valid key is not looked at');
      assert.equal(blocked.body.code, 'auth_rate_limited');
      assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
      assert.equal(
        (await tenant.api.get('/passes', { headers: { 'x-forwarded-for': uniqueClientIp() } })).status,
        200,
        'other addresses are unaffected',
      );
    });

    it('limits the public pass page /p/* per address', async () => {
      const ip = uniqueClientIp();
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 5; i += 1) {
        last = await fetch(`${gateway.url}/p/SOMECODE?token=x`, { headers: { 'x-forwarded-for': ip } });
        statuses.push(last.status);
        if (i === 0) assert.equal(last.headers.get('ratelimit-policy'), '"public-page";q=4;w=60');
      }
      assert.ok(
        statuses.slice(0, 4).every((s) => s !== 429),
        statuses.join(','),
      );
      assert.equal(statuses[4], 429);
      assert.ok(Number(last!.headers.get('retry-after')) >= 1);
      assert.equal(((await last!.json()) as { code: string }).code, 'rate_limited');
      const other = await fetch(`${gateway.url}/p/SOMECODE?token=x`, { headers: { 'x-forwarded-for': uniqueClientIp() } });
      assert.notEqual(other.status, 429);
    });
  });

  describe('when Redis is down', () => {
    let gateway: GatewayProcess;
    beforeAll(async () => {
      gateway = await startGateway('limits-redis-down', { REDIS_URL: 'redis://127.0.0.1:1', AUTH_FAILURES_PER_IP_PER_MINUTE: '1' });
    });
    afterAll(() => gateway.stop());

    it('keeps serving (fails open), logs it, stays ready and reports Redis down', async () => {
      const tenant = await createTenant({ name: 'Limits Fail Open', rateLimitPerMinute: 1 }, gateway.url);
      for (let i = 0; i < 3; i += 1) {
        const response = await tenant.api.get('/passes');
        assert.equal(response.status, 200, response.text);
        assert.equal(response.headers.get('x-ratelimit-limit'), null, 'no counter, no headers');
      }
      const created = await tenant.api.post('/passes', { type: 'single' }, { headers: { 'idempotency-key': 'redis-down-1' } });
      assert.equal(created.status, 201, 'idempotency fails open too');
      for (let i = 0; i < 3; i += 1) assert.equal((await tenant.api.withKey(`pwk_${'C'.repeat(43)}`).get('/passes')).status, 401);
      const ready = await fetch(`${gateway.url}/health/ready`);
      assert.equal(ready.status, 200, 'a Redis blip must not take every gateway out of its Service');
      assert.equal(((await ready.json()) as { dependencies: Record<string, { status: string }> }).dependencies.redis.status, 'down');
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      assert.match(metrics, /passway_dependency_up\{[^}]*dependency="redis"[^}]*\} 0/);
      await eventually(
        () => Promise.resolve(readFileSync(gateway.logFile, 'utf8').includes('rate limiting is failing open') ? true : undefined),
        5_000,
      );
    });
  });
});
