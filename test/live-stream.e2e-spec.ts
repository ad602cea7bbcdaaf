import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, issueKey, sharedGatewayUrl, TestTenant } from './support/e2e-env';
import { GatewayProcess, startGateway } from './support/gateway-process';
import { SseStream } from './support/sse-client';

/** GET /events/:eventId/live: the live check-in stream (Server-Sent Events from pass.scanned and pass.admission_undone). */
describe('live check-in stream', () => {
  const base = sharedGatewayUrl();
  let acme: TestTenant;
  let eventId: string;
  let otherEventId: string;
  const codes: string[] = [];
  const streams: SseStream[] = [];

  beforeAll(async () => {
    acme = await createTenant({ name: 'Live Acme' });
    eventId = (await acme.api.post('/events', { name: 'Live Night', startsAt: '2031-01-10T18:00:00Z' })).body.id;
    otherEventId = (await acme.api.post('/events', { name: 'Other Night', startsAt: '2031-01-11T18:00:00Z' })).body.id;
    for (let i = 0; i < 4; i += 1) {
      const pass = await acme.api.post('/passes', { type: 'single', name: `Guest ${i}`, clientName: `Guest ${i}`, eventId });
      assert.equal(pass.status, 201, pass.text);
      codes.push(pass.body.code);
    }
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await closeGatewayDb();
  });

  async function open(path: string, apiKey = acme.apiKey, headers: Record<string, string> = {}): Promise<SseStream> {
    const stream = await SseStream.open(`${base}/api/v1${path}`, { authorization: `Bearer ${apiKey}`, ...headers });
    streams.push(stream);
    return stream;
  }

  async function scan(code: string): Promise<{ id: string }> {
    const response = await acme.api.post('/scan', { code });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.success, true, response.text);
    return response.body.scan;
  }

  it('streams each scan of the event, and only that event, each with a cursor id', async () => {
    const stream = await open(`/events/${eventId}/live`);
    assert.equal(stream.status, 200);
    await stream.next((message) => message.event === 'ready');
    const elsewhere = await acme.api.post('/passes', {
      type: 'single',
      name: 'Elsewhere',
      clientName: 'Elsa Where',
      eventId: otherEventId,
    });
    assert.equal(elsewhere.status, 201, elsewhere.text);
    await scan(elsewhere.body.code);
    await scan(codes[0]);
    const first = await stream.next((message) => message.event === 'scan');
    assert.deepEqual([JSON.parse(first.data).code, JSON.parse(first.data).result], [codes[0], 'success'], 'not the other event’s scan');
    assert.match(first.id!, /^\d+:-?\d+(,\d+:-?\d+)*$/);
  });

  it('tells of an admission taken back (event: undo), in order after its scan', async () => {
    const stream = streams[0];
    const admitted = await scan(codes[1]);
    const from = stream.messages.length;
    await stream.next((message) => message.event === 'scan' && JSON.parse(message.data).code === codes[1], 15_000, from);
    const undone = await acme.api.post(`/scans/${admitted.id}/undo`, { reason: 'Wrong guest' });
    assert.equal(undone.status, 200, undone.text);
    const undo = await stream.next((message) => message.event === 'undo', 15_000, from);
    const data = JSON.parse(undo.data);
    assert.deepEqual(
      [data.scanId, data.code, data.reason, data.usagesCount, data.passStatus],
      [admitted.id, codes[1], 'Wrong guest', 0, 'active'],
    );
    assert.ok(undo.id && undo.id !== stream.scans().at(-1)!.id, 'the undo has a cursor of its own');
  });

  it('replays what a closed stream missed from ?lastEventId= (or Last-Event-ID), once, then goes on live', async () => {
    const stream = streams[0];
    const lastId = stream.messages.filter((message) => message.id && message.event !== 'ready').at(-1)!.id!;
    stream.close();
    await scan(codes[2]);

    const byQuery = await open(`/events/${eventId}/live?lastEventId=${encodeURIComponent(lastId)}`);
    await byQuery.next((message) => message.event === 'ready');
    // Replayed before `ready` if this gateway had consumed it already, else live right after: once either way.
    await byQuery.next((message) => message.event === 'scan' && JSON.parse(message.data).code === codes[2]);
    assert.deepEqual(
      byQuery.scans().map((item) => item.scan.code),
      [codes[2]],
    );
    const byHeader = await open(`/events/${eventId}/live`, acme.apiKey, { 'last-event-id': lastId });
    await byHeader.next((message) => message.event === 'scan' && JSON.parse(message.data).code === codes[2]);
    assert.deepEqual(
      byHeader.scans().map((item) => item.scan.code),
      [codes[2]],
    );

    await scan(codes[3]);
    await byQuery.next((message) => message.event === 'scan' && JSON.parse(message.data).code === codes[3]);
    assert.deepEqual(
      byQuery.scans().map((item) => item.scan.code),
      [codes[2], codes[3]],
    );
  });

  it('resumes across a gateway restart: a new gateway replays, from Last-Event-ID, what the stream missed while none ran', async () => {
    let gateway: GatewayProcess | undefined = await startGateway('live-a', {});
    try {
      const first = await SseStream.open(`${gateway.url}/api/v1/events/${eventId}/live`, { authorization: `Bearer ${acme.apiKey}` });
      streams.push(first);
      await first.next((message) => message.event === 'ready');
      const extra = await acme.api.post('/passes', { type: 'single', name: 'Late guest', clientName: 'Late Guest', eventId });
      await scan(extra.body.code);
      const seen = await first.next((message) => message.event === 'scan' && JSON.parse(message.data).code === extra.body.code);
      await gateway.stop();
      await first.closed();

      // Scans while no gateway of this stream runs (the shared one takes them).
      const missed = [];
      for (const name of ['Missed One', 'Missed Two']) {
        const pass = await acme.api.post('/passes', { type: 'single', name, clientName: name, eventId });
        await scan(pass.body.code);
        missed.push(pass.body.code as string);
      }
      gateway = await startGateway('live-b', {});
      const resumed = await SseStream.open(`${gateway.url}/api/v1/events/${eventId}/live`, {
        authorization: `Bearer ${acme.apiKey}`,
        'last-event-id': seen.id!,
      });
      streams.push(resumed);
      await resumed.next((message) => message.event === 'ready');
      // Each missed scan once, before ready (scans of different passes sit on different partitions: no order between them).
      assert.deepEqual(
        resumed
          .scans()
          .map((item) => item.scan.code)
          .sort(),
        [...missed].sort(),
      );
    } finally {
      await gateway?.stop();
    }
  });

  it('answers an unknown event, another tenant’s event and an out-of-scope key with 404, and door staff with 403, before streaming', async () => {
    const other = await createTenant({ name: 'Live Other' });
    assert.equal((await open(`/events/${eventId}/live`, other.apiKey)).status, 404);
    assert.equal((await open('/events/00000000-0000-4000-8000-000000000000/live')).status, 404);
    const scoped = await acme.api.post('/api-keys', { role: 'admin', name: 'other night only', events: [otherEventId] });
    assert.equal(scoped.status, 201, scoped.text);
    assert.equal((await open(`/events/${eventId}/live`, scoped.body.apiKey)).status, 404);
    const scanner = await issueKey(acme.tenant.id, 'scanner');
    const door = await open(`/events/${eventId}/live`, scanner.apiKey);
    assert.equal(door.status, 403);
    assert.match(JSON.parse(door.messages[0].data).error, /./);
  });
});
