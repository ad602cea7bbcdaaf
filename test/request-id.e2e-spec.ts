import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { TOPICS } from '../libs/common/src/events/topics';
import { closeGatewayDb, createTenant, eventually, REPO_ROOT, TestTenant } from './support/e2e-env';
import { EventCollector } from './support/event-collector';

describe('X-Request-Id from the edge to Kafka and the logs', () => {
  let tenant: TestTenant;
  let events: EventCollector;

  beforeAll(async () => {
    tenant = await createTenant({ name: 'Request Ids' });
    events = await new EventCollector([TOPICS.passEvents.name, TOPICS.scanEvents.name], (e) => e.tenantId === tenant.tenant.id).start();
  });

  afterAll(async () => {
    await events.stop();
    await closeGatewayDb();
  });

  it("keeps the caller's id: response header, gRPC metadata → Kafka header, and the gateway's log line with the tenant", async () => {
    const requestId = `trace-${randomUUID()}`;
    const created = await tenant.api.post('/passes', { type: 'single' }, { headers: { 'x-request-id': requestId } });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('x-request-id'), requestId);
    await events.waitFor((all) => all.some((e) => (e.event.data as { id: string }).id === created.body.id));
    const event = events.events.find((e) => (e.event.data as { id: string }).id === created.body.id)!;
    assert.equal(event.headers['x-request-id'], requestId);

    const logFile = join(process.env.PASSWAY_TEST_LOG_DIR ?? join(REPO_ROOT, 'test-artifacts', 'logs'), 'shared-gateway.log');
    const line = await eventually(() =>
      Promise.resolve(
        readFileSync(logFile, 'utf8')
          .split('\n')
          .find((l) => l.includes(requestId) && l.includes('POST /api/v1/passes')),
      ),
    );
    const record = JSON.parse(line);
    assert.equal(record.requestId, requestId);
    assert.equal(record.tenantId, tenant.tenant.id);
    assert.match(record.msg, /^POST \/api\/v1\/passes 201$/);
    assert.equal(record.status, 201);
  });

  it('replaces an unacceptable id with a fresh one', async () => {
    const response = await tenant.api.get('/passes', { headers: { 'x-request-id': 'bad id with spaces' } });
    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});
