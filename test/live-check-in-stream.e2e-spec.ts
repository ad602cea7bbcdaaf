import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, issueKey, TestTenant } from './support/e2e-env';
import { GatewayProcess, startGateway } from './support/gateway-process';
import { SseStream } from './support/sse-client';

/** The live check-in stream (SSE from Kafka's pass.scanned), across a gateway restart. */
describe('live check-in stream', () => {
  let acme: TestTenant;
  let eventId: string;
  let otherEventId: string;
  const codes: string[] = [];
  let gateway: GatewayProcess | undefined;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    acme = await createTenant({ name: 'Live Acme' });
    eventId = (await acme.api.post('/events', { name: 'Live Night', startsAt: '2027-01-10T18:00:00Z' })).body.id;
    otherEventId = (await acme.api.post('/events', { name: 'Other Night', startsAt: '2027-01-11T18:00:00Z' })).body.id;
    for (let i = 0; i < 5; i += 1) {
      const pass = await acme.api.post('/passes', { type: 'single', name: `Guest ${i}`, clientName: `Guest ${i}`, eventId });
      assert.equal(pass.status, 201, pass.text);
      codes.push(pass.body.code);
    }
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await gateway?.stop();
    await closeGatewayDb();
  });

  function open(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
    return SseStream.open(url, { authorization: `Bearer ${acme.apiKey}`, ...headers }).then((stream) => {
      streams.push(stream);
      return stream;
    });
  }

  async function scan(code: string): Promise<void> {
    const response = await acme.api.post('/scan', { code });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.success, true, response.text);
  }

  it('streams each scan of the event within seconds, and only that event', async () => {
    gateway = await startGateway('live-a', {});
    const stream = await open(`${gateway.url}/api/v1/events/${eventId}/live`);
    assert.equal(stream.status, 200);
    await stream.next((message) => message.event === 'ready');
    const other = await acme.api.post('/passes', { type: 'single', name: 'Elsewhere', eventId: otherEventId });
    await scan(other.body.code);
    await scan(codes[0]);
    const first = await stream.next((message) => message.event === 'scan');
    assert.equal(JSON.parse(first.data).code, codes[0], 'the other event’s scan is not in this stream');
    assert.equal(JSON.parse(first.data).result, 'success');
    assert.match(first.id!, /^\d+:-?\d+(,\d+:-?\d+)*$/);
  });

  it('after a gateway restart, resumes with Last-Event-ID and misses nothing (no duplicates), then goes on live', async () => {
    const stream = streams[0];
    const lastId = stream.scans().at(-1)!.id!;
    await gateway!.stop();
    await stream.closed();

    // Scans while the gateway is down.
    await scan(codes[1]);
    await scan(codes[2]);

    gateway = await startGateway('live-b', {});
    const resumed = await open(`${gateway.url}/api/v1/events/${eventId}/live`, { 'last-event-id': lastId });
    await resumed.next((message) => message.event === 'ready');
    assert.deepEqual(resumed.scans().map((item) => item.scan.code), [codes[1], codes[2]]);

    await scan(codes[3]);
    const live = await resumed.next((message) => message.event === 'scan' && JSON.parse(message.data).code === codes[3]);
    assert.ok(live.id);
    assert.deepEqual(resumed.scans().map((item) => item.scan.code), [codes[1], codes[2], codes[3]]);
  });

  it('accepts the cursor as ?lastEventId= too (a new EventSource cannot set the header)', async () => {
    const stream = streams[1];
    const lastId = stream.scans().at(-1)!.id!;
    stream.close();
    await scan(codes[4]);
    const resumed = await open(`${gateway!.url}/api/v1/events/${eventId}/live?lastEventId=${encodeURIComponent(lastId)}`);
    await resumed.next((message) => message.event === 'ready');
    assert.deepEqual(resumed.scans().map((item) => item.scan.code), [codes[4]]);
  });

  it('answers an unknown event, another tenant’s event, and an out-of-scope key with 404 before streaming', async () => {
    const other = await createTenant({ name: 'Live Other' });
    const foreign = await SseStream.open(`${gateway!.url}/api/v1/events/${eventId}/live`, { authorization: `Bearer ${other.apiKey}` });
    assert.equal(foreign.status, 404);
    const unknown = await SseStream.open(`${gateway!.url}/api/v1/events/00000000-0000-4000-8000-000000000000/live`, { authorization: `Bearer ${acme.apiKey}` });
    assert.equal(unknown.status, 404);
    const scoped = await issueKey(acme.tenant.id, 'scanner');
    await acme.api.get('/organization');
    const keyScoped = await acme.api.post('/api-keys', { role: 'scanner', events: [otherEventId] });
    const outOfScope = await SseStream.open(`${gateway!.url}/api/v1/events/${eventId}/live`, { authorization: `Bearer ${keyScoped.body.apiKey}` });
    assert.equal(outOfScope.status, 404);
    const allowed = await SseStream.open(`${gateway!.url}/api/v1/events/${eventId}/live`, { authorization: `Bearer ${scoped.apiKey}` });
    streams.push(allowed);
    assert.equal(allowed.status, 200, 'door staff (scanner keys) may watch the live stream');
  });
});
