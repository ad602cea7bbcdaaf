import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import fc from 'fast-check';
import { Client } from 'pg';
import { GatewayAppModule } from '../../apps/gateway/src/app.module';
import { listRoutes } from '../../apps/gateway/src/openapi/route-inventory';
import { TestTenant } from '../support/e2e-env';
import { IsolatedStack } from '../support/isolated-stack';
import { SETUP_BUDGET_MS } from '../support/fault-stack';

/** The whole run stays within this (fast-check stops generating when it is spent). */
const TIME_BUDGET_MS = Number(process.env.FUZZ_TIME_BUDGET_MS ?? 60_000);
const MIN_PER_ROUTE = 3;

/** Every table that holds a tenant's data, counted per tenant, plus the tenant's token balance. */
const TENANT_TABLES = [
  'gateway.api_keys',
  'gateway.token_ledger',
  'gateway.audit_log',
  'gateway.devices',
  'gateway.invitations',
  'gateway.memberships',
  'passes.clients',
  'passes.events',
  'passes.locations',
  'passes.passes',
  'passes.templates',
  'scans.admissions',
  'scans.events',
  'scans.scans',
  'webhooks.subscriptions',
  'webhooks.deliveries',
  'webhooks.event_log',
  'notifications.emails',
];

async function tenantState(databaseUrl: string, tenantId: string): Promise<Record<string, unknown>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const state: Record<string, unknown> = {};
    for (const table of TENANT_TABLES)
      state[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1`, [tenantId])).rows[0].n);
    const { rows } = await client.query(
      'SELECT plan, token_balance, tokens_used, rate_limit_per_minute FROM gateway.tenants WHERE id = $1',
      [tenantId],
    );
    state.tenant = rows[0];
    // Public routes (sign-up, invitations, pairing) change nothing either: no organisation, user or session appears.
    for (const table of ['gateway.tenants', 'gateway.users', 'gateway.sessions'])
      state[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    return state;
  } finally {
    await client.end();
  }
}

const junkText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '%00',
    '../../etc/passwd',
    "' OR 1=1 --",
    '${jndi:ldap://x}',
    '\u0000',
    '💥',
    'null',
    'NaN',
    '-1',
    '1e309',
    '00000000-0000-0000-0000-000000000000',
    'a'.repeat(300),
  ),
);
const junkValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.anything({ maxDepth: 2 }).map((v) => (v === undefined ? null : v)),
);
/** Bodies a client might send by mistake or on purpose; never a well-formed command (checked below: nothing may change). */
const junkBody = fc.oneof(
  fc.constant(undefined),
  junkText.map((text) => ({ raw: text })),
  fc.dictionary(junkText, junkValue, { maxKeys: 6 }).map((object) => ({ json: object })),
  fc.array(junkValue, { maxLength: 4 }).map((array) => ({ json: array })),
  fc
    .record(
      {
        type: junkValue,
        name: junkValue,
        code: junkValue,
        validUntil: junkValue,
        eventId: junkValue,
        items: junkValue,
        event: junkValue,
        targetUrl: junkValue,
      },
      { requiredKeys: [] },
    )
    .map((object) => ({ json: object })),
);
const junkHeaders = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-16',
      'multipart/form-data; boundary=x',
      'garbage',
    ),
    'idempotency-key': fc.string({ maxLength: 300 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    'x-request-id': fc.string({ maxLength: 200 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    'x-forwarded-for': fc.constantFrom('1.2.3.4', 'not-an-ip', '::1, 10.0.0.1', ''),
    accept: fc.constantFrom('application/json', '*/*', 'text/html', 'garbage'),
  },
  { requiredKeys: [] },
);
const junkQuery = fc.dictionary(
  fc.constantFrom('limit', 'page', 'search', 'status', 'since', 'result', 'event', 'token', 'x', '__proto__', 'limit[]'),
  junkText,
  { maxKeys: 4 },
);

describe('fault 7: fuzzing every route', () => {
  let stack: IsolatedStack;
  let tenant: TestTenant;
  let before_: Record<string, unknown>;
  const routes = listRoutes(GatewayAppModule);

  beforeAll(async () => {
    stack = await IsolatedStack.start('fuzz');
    tenant = await stack.createTenant('Fuzz Target');
    before_ = await tenantState(stack.databaseUrl, tenant.tenant.id);
  }, SETUP_BUDGET_MS);
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers junk bodies, headers and query strings on every route without a 5xx, and changes nothing', async () => {
    assert.ok(routes.length > 20, 'the route inventory is read');
    const fiveHundreds: string[] = [];
    const accepted: string[] = [];
    let requests = 0;
    const started = Date.now();
    const perRouteBudget = Math.floor(TIME_BUDGET_MS / routes.length);
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    const inputs = fc.tuple(
      fc.array(junkText, { minLength: 4, maxLength: 4 }),
      junkQuery,
      junkHeaders,
      junkBody,
      fc.constantFrom('valid', 'none', 'junk'),
    );
    // Generated inputs, tried for each route until its share of the time is spent (at least MIN_PER_ROUTE each,
    // however slow the machine): a time-bounded run, reproducible with FUZZ_SEED.
    for (const [r, route] of routes.entries()) {
      const until = Date.now() + perRouteBudget;
      for (const [n, [params, query, headers, body, auth]] of fc.sample(inputs, { numRuns: 200, seed: seed + r }).entries()) {
        if (n >= MIN_PER_ROUTE && Date.now() > until) break;
        let i = 0;
        const path = route.path.replace(/:\w+/g, () => encodeURIComponent(params[i++ % params.length]));
        const search = new URLSearchParams(query).toString();
        const url = `${stack.stack.gatewayUrl}${path}${search ? `?${search}` : ''}`;
        const sent: Record<string, string> = { ...headers };
        if (auth === 'valid') sent.authorization = `Bearer ${tenant.apiKey}`;
        if (auth === 'junk') sent.authorization = `Bearer pwk_${encodeURIComponent(params[0])}`; // a header value fetch can send
        const payload =
          route.method === 'GET' || route.method === 'DELETE' || !body ? undefined : 'raw' in body ? body.raw : JSON.stringify(body.json);
        let status: number;
        try {
          const response = await fetch(url, {
            method: route.method,
            headers: sent,
            body: payload,
            signal: AbortSignal.timeout(15_000),
          });
          status = response.status;
          await response.arrayBuffer();
        } catch (error) {
          fiveHundreds.push(`${route.method} ${path}: no answer (${(error as Error).message})`);
          continue;
        }
        requests += 1;
        if (status >= 500)
          fiveHundreds.push(
            `${route.method} ${url} → ${status} (body ${String(payload).slice(0, 200)}, headers ${JSON.stringify(headers)})`,
          );
        if (status < 300 && route.method !== 'GET' && auth === 'valid')
          accepted.push(`${route.method} ${url} → ${status} (body ${String(payload).slice(0, 200)})`);
      }
    }
    assert.ok(requests >= routes.length, `at least one request per route (${requests} in ${Date.now() - started} ms)`);
    assert.deepEqual(fiveHundreds, [], 'no 5xx and no hang');
    assert.deepEqual(accepted, [], 'no junk accepted by a route that changes something');
    assert.deepEqual(await tenantState(stack.databaseUrl, tenant.tenant.id), before_, 'nothing changed');
  });
});
