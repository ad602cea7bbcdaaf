import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { TOPICS } from '../libs/common/src/events/topics';
import { APP_NAMES, Stack } from '../tools/stack';
import { closeGatewayDb, createTenant, eventually, isolatedEnv, startDedicatedStack, TestTenant } from './support/e2e-env';
import { EventCollector } from './support/event-collector';

const GRACE_MS = 20_000;

describe('SIGTERM under load', () => {
  let stack: Stack;
  let isolated: NodeJS.ProcessEnv;
  let tenant: TestTenant;
  let events: EventCollector;

  beforeAll(async () => {
    isolated = await isolatedEnv('shutdown');
    stack = await startDedicatedStack('shutdown', isolated);
    tenant = await createTenant({ name: 'Shutdown Load' }, stack.gatewayUrl, isolated.DATABASE_URL);
    events = await new EventCollector([TOPICS.passEvents.name, TOPICS.scanEvents.name], (e) => e.tenantId === tenant.tenant.id).start();
  });

  afterAll(async () => {
    await events.stop();
    await stack.stop();
    await closeGatewayDb();
  });

  it('stops each app cleanly while requests flow, and loses or half-does nothing', async () => {
    const created: string[] = [];
    const statuses = new Map<number | string, number>();
    let running = true;
    let n = 0;
    const worker = async () => {
      while (running) {
        n += 1;
        try {
          const response = await tenant.api.post('/passes', {
            type: 'single',
            clientName: `Holder ${n}`,
            clientEmail: `holder${n}@example.com`,
          });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status === 201) created.push(response.body.id);
          else await new Promise((r) => setTimeout(r, 100));
        } catch {
          statuses.set('connection', (statuses.get('connection') ?? 0) + 1); // the gateway itself is restarting
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, worker));
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

    try {
      for (const app of APP_NAMES) {
        await pause(700);
        const began = Date.now();
        const code = await stack.stopApp(app, 'SIGTERM', GRACE_MS + 5_000);
        assert.equal(code, 0, `${app} exits 0 on SIGTERM`);
        assert.ok(Date.now() - began < GRACE_MS, `${app} stops within the grace period (${Date.now() - began} ms)`);
        // Under this load a restarted consumer trails the writes; what it must not lose is checked below.
        await stack.startApp(app, 120_000, 'live');
      }
      await pause(1_000);
    } finally {
      running = false; // a failed step must not leave the load running after the test
      await load;
    }

    const summary = JSON.stringify(Object.fromEntries(statuses));
    assert.ok(created.length > 20, `load flowed: ${summary}`);
    for (const status of statuses.keys()) {
      assert.ok(
        [201, 503, 'connection'].includes(status),
        `only successes, 503s while a service restarts, or refused connections while the gateway does: ${summary}`,
      );
    }

    // Every acknowledged pass exists, its pass.created reached Kafka, and its holder got exactly one email.
    await events.waitFor(
      (all) => created.every((id) => all.some((e) => e.event.type === 'pass.created' && (e.event.data as any).id === id)),
      30_000,
    );
    for (const id of created) {
      assert.equal((await tenant.api.get(`/passes/${id}`)).status, 200);
    }
    await eventually(
      async () => {
        for (const id of created) {
          const emails = await tenant.api.get(`/passes/${id}/emails`);
          if (emails.status !== 200 || emails.body.length !== 1) return undefined;
        }
        return true;
      },
      60_000,
      500,
    );
    const ids = events.ofType('pass.created').map((e) => (e.event.data as any).id);
    assert.equal(new Set(ids).size, created.length, 'no pass.created for a pass that was not acknowledged... or missing');
  });
});
