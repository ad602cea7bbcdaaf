import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { TOPICS } from '../libs/common/src/events/topics';
import { closeGatewayDb, createTenant, eventually, issueKey, TestTenant } from './support/e2e-env';
import { EventCollector } from './support/event-collector';
import { projectedAdmission } from './support/scans-projection';
import type { ApiPath } from './support/api-client';

const DAY = 24 * 60 * 60 * 1000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const nonce = () => `n-${randomUUID()}`;

describe('scans through the gateway', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let events: EventCollector;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Scans' });
    globex = await createTenant({ name: 'Globex Scans' });
    events = await new EventCollector([TOPICS.passEvents.name, TOPICS.scanEvents.name], (e) => e.tenantId === acme.tenant.id).start();
  });

  afterAll(async () => {
    await events.stop();
    await closeGatewayDb();
  });

  async function createPass(body: Record<string, unknown>, tenant = acme) {
    const response = await tenant.api.post('/passes', body);
    assert.equal(response.status, 201, response.text);
    return response.body as { id: string; code: string };
  }

  /** Waits until the scans service's projection has the pass with this stored status. */
  async function untilProjected(passId: string, status: string) {
    await eventually(async () => ((await projectedAdmission(passId))?.status === status ? true : undefined));
  }

  it('redeems a single pass the instant after it is created (REST contract shape), then answers already_used', async () => {
    const pass = await createPass({ type: 'single', name: 'VIP Guest' });
    const first = await acme.api.post('/scan', { code: pass.code });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(Object.keys(first.body).sort(), ['pass', 'result', 'scan', 'success']);
    assert.equal(first.body.success, true);
    assert.equal(first.body.result, 'success');
    assert.deepEqual(first.body.pass, {
      id: pass.id,
      code: pass.code,
      name: 'VIP Guest',
      type: 'single',
      status: 'used',
      usagesCount: 1,
      maxUsages: null,
    });
    assert.deepEqual(Object.keys(first.body.scan).sort(), ['id', 'scannedAt']);
    assert.ok(Math.abs(Date.parse(first.body.scan.scannedAt) - Date.now()) < 60_000);

    const second = await acme.api.post('/scan', { code: pass.code });
    assert.equal(second.status, 200);
    assert.equal(second.body.success, false);
    assert.equal(second.body.result, 'already_used');
    assert.equal(second.body.pass.usagesCount, 1);
    assert.equal(second.body.pass.status, 'used');

    // Every scan emits pass.scanned; the passes service turns the pass `used` and says so.
    await events.waitFor(
      (all) => all.filter((e) => e.event.type === 'pass.scanned' && (e.event.data as any).passId === pass.id).length === 2,
    );
    const scanned = events.ofType('pass.scanned').filter((e) => (e.event.data as any).passId === pass.id);
    assert.equal(scanned[0].key, pass.id);
    assert.deepEqual(
      scanned.map((e) => [(e.event.data as any).result, (e.event.data as any).success]),
      [
        ['success', true],
        ['already_used', false],
      ],
    );
    assert.equal((scanned[0].event.data as any).id, first.body.scan.id);
    assert.equal((scanned[0].event.data as any).usagesCount, 1);
    assert.equal((scanned[0].event.data as any).passStatus, 'used');
    assert.equal((scanned[0].event.data as any).channel, 'online');
    assert.equal((scanned[0].event.data as any).method, 'qr_scan');
    assert.equal((scanned[0].event.data as any).eventId, null);
    const [changed] = await events.waitFor((all) =>
      all.some((e) => e.event.type === 'pass.status_changed' && (e.event.data as any).id === pass.id),
    );
    assert.ok(changed);
    const statusChange = events.ofType('pass.status_changed').find((e) => (e.event.data as any).id === pass.id)!;
    assert.equal((statusChange.event.data as any).status, 'used');
    assert.equal((statusChange.event.data as any).previousStatus, 'active');
    assert.equal((statusChange.event.data as any).usagesCount, 1);
    assert.ok((statusChange.event.data as any).changedAt);

    const shown = await eventually(async () => {
      const got = await acme.api.get(`/passes/${pass.id}`);
      return got.body.status === 'used' ? got.body : undefined;
    });
    assert.equal(shown.usagesCount, 1);
  });

  it('lets a door scanner key scan and upload batches', async () => {
    const scanner = await issueKey(acme.tenant.id, 'scanner');
    const pass = await createPass({ type: 'multi' });
    const scanned = await scanner.api.post('/scan', { code: pass.code });
    assert.equal(scanned.status, 200, scanned.text);
    assert.equal(scanned.body.result, 'success');
    const batch = await scanner.api.post('/scans/batch', { items: [{ nonce: nonce(), code: pass.code, scannedAt: iso(-1000) }] });
    assert.equal(batch.status, 200, batch.text);
    assert.equal(batch.body.items[0].result, 'success');
  });

  it('POST /validate is the same redemption', async () => {
    const pass = await createPass({ type: 'single', name: 'PassQR client' });
    const first = await acme.api.post('/validate', { code: pass.code });
    assert.equal(first.status, 200);
    assert.equal(first.body.result, 'success');
    const again = await acme.api.post('/scan', { code: pass.code });
    assert.equal(again.body.result, 'already_used', 'the alias shares the one counter');
    assert.equal((await acme.api.post('/validate', { code: pass.code })).body.result, 'already_used');
  });

  it('answers every failure result with 200 and success: false, and records failed attempts', async () => {
    const notYet = await createPass({ type: 'single', validFrom: iso(DAY) });
    const expired = await createPass({ type: 'single', validFrom: iso(-2 * DAY), validUntil: iso(-DAY) });
    const limited = await createPass({ type: 'multi', maxUsages: 2 });
    const revoked = await createPass({ type: 'multi' });
    assert.equal((await acme.api.post(`/passes/${revoked.id}/revoke`)).status, 200);
    await untilProjected(revoked.id, 'revoked');

    const results = async (code: string) => {
      const response = await acme.api.post('/scan', { code });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.success, response.body.result === 'success');
      return response.body;
    };
    assert.equal((await results(notYet.code)).result, 'not_yet_valid');
    const expiredScan = await results(expired.code);
    assert.equal(expiredScan.result, 'expired');
    assert.equal(expiredScan.pass.status, 'expired');
    assert.equal((await results(revoked.code)).result, 'revoked');
    assert.deepEqual(
      [(await results(limited.code)).result, (await results(limited.code)).result, (await results(limited.code)).result],
      ['success', 'success', 'max_usages_reached'],
    );
    const last = await results(limited.code);
    assert.equal(last.result, 'max_usages_reached');
    assert.equal(last.pass.usagesCount, 2);
    assert.equal(last.pass.status, 'active', 'a multi pass stays active at its limit');

    const history = await acme.api.get(`/passes/${limited.id}/scans`);
    assert.equal(history.status, 200);
    assert.deepEqual(
      history.body.map((s: any) => s.result),
      ['max_usages_reached', 'max_usages_reached', 'success', 'success'],
    );
    const failed = await acme.api.get(`/passes/${notYet.id}/scans`);
    assert.deepEqual(
      failed.body.map((s: any) => [s.result, s.success]),
      [['not_yet_valid', false]],
    );
  });

  it('20 concurrent scans of a single pass give exactly one success', async () => {
    const pass = await createPass({ type: 'single', name: 'Race' });
    await untilProjected(pass.id, 'active');
    const responses = await Promise.all(Array.from({ length: 20 }, () => acme.api.post('/scan', { code: pass.code })));
    assert.ok(
      responses.every((r) => r.status === 200),
      responses.map((r) => r.status).join(','),
    );
    const tally = countBy(responses.map((r) => r.body.result));
    assert.deepEqual(tally, { success: 1, already_used: 19 });
    const history = await acme.api.get(`/passes/${pass.id}/scans?limit=100`);
    assert.equal(history.headers.get('x-total-count'), '20');
    assert.equal(history.body.filter((s: any) => s.success).length, 1);
    const shown = await eventually(async () => {
      const got = await acme.api.get(`/passes/${pass.id}`);
      return got.body.status === 'used' ? got.body : undefined;
    });
    assert.equal(shown.usagesCount, 1);
  });

  it('20 concurrent scans of a multi pass with maxUsages 5 give exactly five successes, and a fresh pass races its own read-through', async () => {
    const pass = await createPass({ type: 'multi', maxUsages: 5 });
    await untilProjected(pass.id, 'active');
    const fresh = await createPass({ type: 'multi', maxUsages: 5 }); // scanned before its event can have arrived
    const [known, unknown] = await Promise.all(
      [pass, fresh].map((p) => Promise.all(Array.from({ length: 20 }, () => acme.api.post('/scan', { code: p.code })))),
    );
    for (const responses of [known, unknown]) {
      assert.ok(
        responses.every((r) => r.status === 200),
        responses.map((r) => `${r.status} ${r.text}`).join(','),
      );
      assert.deepEqual(countBy(responses.map((r) => r.body.result)), { success: 5, max_usages_reached: 15 });
      assert.deepEqual(
        responses
          .filter((r) => r.body.success)
          .map((r) => r.body.pass.usagesCount)
          .sort(),
        [1, 2, 3, 4, 5],
      );
    }
    const shown = await eventually(async () => {
      const got = await acme.api.get(`/passes/${pass.id}`);
      return got.body.usagesCount === 5 ? got.body : undefined;
    });
    assert.equal(shown.status, 'active');
  });

  it('lists history newest first with list headers, filtered by result and since', async () => {
    const tenant = await createTenant({ name: 'History Scans' });
    const pass = (await tenant.api.post('/passes', { type: 'multi', maxUsages: 1 })).body;
    const first = await tenant.api.post('/scan', { code: pass.code });
    await new Promise((r) => setTimeout(r, 20));
    const second = await tenant.api.post('/scan', { code: pass.code });
    const third = await tenant.api.post('/scan', { code: pass.code });
    assert.deepEqual(
      [first, second, third].map((r) => r.body.result),
      ['success', 'max_usages_reached', 'max_usages_reached'],
    );

    const all = await tenant.api.get('/scans');
    assert.equal(all.status, 200);
    assert.ok(Array.isArray(all.body));
    assert.equal(all.headers.get('x-total-count'), '3');
    assert.match(all.headers.get('link') ?? '', /rel="first"/);
    assert.deepEqual(
      all.body.map((s: any) => s.id),
      [third.body.scan.id, second.body.scan.id, first.body.scan.id],
    );
    assert.deepEqual(Object.keys(all.body[0]).sort(), [
      'apiKeyId',
      'channel',
      'code',
      'holderName',
      'id',
      'method',
      'nonce',
      'passId',
      'passStatus',
      'recordedAt',
      'result',
      'scannedAt',
      'success',
      'undoReason',
      'undoneAt',
      'usagesCount',
    ]);
    assert.equal(all.body[2].passId, pass.id);
    assert.equal(all.body[2].usagesCount, 1);

    const refused = await tenant.api.get('/scans?result=max_usages_reached');
    assert.deepEqual(
      refused.body.map((s: any) => s.id),
      [third.body.scan.id, second.body.scan.id],
    );
    const since = await tenant.api.get(`/scans?since=${encodeURIComponent(first.body.scan.scannedAt)}`);
    assert.deepEqual(
      since.body.map((s: any) => s.id),
      [third.body.scan.id, second.body.scan.id],
    );
    const paged = await tenant.api.get('/scans?limit=1&page=2');
    assert.deepEqual(
      paged.body.map((s: any) => s.id),
      [second.body.scan.id],
    );
    assert.match(paged.headers.get('link') ?? '', /rel="next"/);

    const forPass = await tenant.api.get(`/passes/${pass.id}/scans?limit=2`);
    assert.equal(forPass.headers.get('x-total-count'), '3');
    assert.equal(forPass.body.length, 2);

    // Another tenant sees none of it.
    assert.deepEqual(
      (await globex.api.get('/scans')).body.filter((s: any) => s.passId === pass.id),
      [],
    );
    assert.equal((await globex.api.get(`/passes/${pass.id}/scans`)).status, 404);
    assert.equal((await tenant.api.get(`/passes/${randomUUID()}/scans`)).status, 404);
    assert.equal((await tenant.api.get('/passes/not-a-uuid/scans')).status, 404);
  });

  it('shows scan history of a pass created an instant ago as an empty list', async () => {
    const pass = await createPass({ type: 'single' });
    const history = await acme.api.get(`/passes/${pass.id}/scans`);
    assert.equal(history.status, 200);
    assert.deepEqual(history.body, []);
  });

  it("applies an offline batch in order at each scan's own time, and a replay returns the same results and changes nothing", async () => {
    const single = await createPass({ type: 'single', name: 'Offline single' });
    const lapsed = await createPass({ type: 'multi', validFrom: iso(-3 * DAY), validUntil: iso(-DAY) });
    const later = await createPass({ type: 'multi', validFrom: iso(DAY) });
    const items = [
      { nonce: nonce(), code: single.code, scannedAt: iso(-60_000) },
      { nonce: nonce(), code: single.code, scannedAt: iso(-50_000) },
      { nonce: nonce(), code: lapsed.code, scannedAt: iso(-2 * DAY) }, // valid when it was scanned
      { nonce: nonce(), code: lapsed.code, scannedAt: iso(-60_000) },
      { nonce: nonce(), code: later.code, scannedAt: iso(-60_000) },
      { nonce: nonce(), code: 'NOSUCHCODE000000', scannedAt: iso(-60_000) },
    ];
    const first = await acme.api.post('/scans/batch', { items });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(
      first.body.items.map((r: any) => [r.nonce, r.result, r.success, r.replayed]),
      [
        [items[0].nonce, 'success', true, false],
        [items[1].nonce, 'already_used', false, false],
        [items[2].nonce, 'success', true, false],
        [items[3].nonce, 'expired', false, false],
        [items[4].nonce, 'not_yet_valid', false, false],
        [items[5].nonce, 'not_found', false, false],
      ],
    );
    assert.equal(first.body.items[0].scan.scannedAt, items[0].scannedAt);
    assert.equal(first.body.items[0].pass.status, 'used');

    const before = (await acme.api.get(`/passes/${single.id}/scans`)).body;
    const replay = await acme.api.post('/scans/batch', { items });
    assert.equal(replay.status, 200);
    assert.deepEqual(
      replay.body.items.map(({ replayed: _replayed, ...rest }: any) => rest),
      first.body.items.map(({ replayed: _replayed, ...rest }: any) => rest),
      'a replay answers exactly what the first upload did',
    );
    assert.deepEqual(
      replay.body.items.slice(0, 5).map((r: any) => r.replayed),
      [true, true, true, true, true],
    );
    assert.deepEqual((await acme.api.get(`/passes/${single.id}/scans`)).body, before, 'no new scan records');
    const lapsedHistory = await acme.api.get(`/passes/${lapsed.id}/scans`);
    assert.equal(lapsedHistory.body.length, 2);
    assert.deepEqual(
      lapsedHistory.body.map((s: any) => s.channel),
      ['offline', 'offline'],
    );
    assert.deepEqual(
      lapsedHistory.body.map((s: any) => s.method),
      ['qr_scan', 'qr_scan'],
    );

    // A duplicate nonce inside one batch is the same scan, applied once.
    const multi = await createPass({ type: 'multi' });
    const repeated = nonce();
    const dup = await acme.api.post('/scans/batch', {
      items: [
        { nonce: repeated, code: multi.code, scannedAt: iso(-1000) },
        { nonce: repeated, code: multi.code, scannedAt: iso(-1000) },
      ],
    });
    assert.equal(dup.status, 200);
    assert.equal(dup.body.items[0].scan.id, dup.body.items[1].scan.id);
    assert.equal((await acme.api.get(`/passes/${multi.id}/scans`)).body.length, 1);

    // Nonces are per tenant: another tenant's identical nonce is its own scan.
    const globexPass = await createPass({ type: 'multi' }, globex);
    const other = await globex.api.post('/scans/batch', { items: [{ nonce: repeated, code: globexPass.code, scannedAt: iso(-1000) }] });
    assert.equal(other.body.items[0].result, 'success');
    assert.equal(other.body.items[0].replayed, false);

    // The first upload emitted one pass.scanned per applied item; the replay emitted none.
    const ofSingle = () => events.ofType('pass.scanned').filter((e) => (e.event.data as any).passId === single.id);
    await events.waitFor(() => ofSingle().length >= 2);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(
      ofSingle().map((e) => [(e.event.data as any).result, (e.event.data as any).channel]),
      [
        ['success', 'offline'],
        ['already_used', 'offline'],
      ],
    );
  });

  it("answers 404 for an unknown code and for another tenant's code, and changes nothing", async () => {
    const pass = await createPass({ type: 'single' });
    const unknown = await acme.api.post('/scan', { code: 'ZZZZZZZZZZZZZZZZ' });
    assert.equal(unknown.status, 404);
    assert.equal(typeof unknown.body.error, 'string');
    assert.equal((await acme.api.post('/scan', { code: 'not a code at all!' })).status, 404);
    const foreign = await globex.api.post('/scan', { code: pass.code });
    assert.equal(foreign.status, 404);
    assert.equal(typeof foreign.body.error, 'string');
    assert.equal((await globex.api.post('/validate', { code: pass.code })).status, 404);
    const owner = await acme.api.post('/scan', { code: ` ${pass.code.toLowerCase()} ` });
    assert.equal(owner.body.result, 'success', 'the foreign attempts did not use the pass; codes are trimmed and case-insensitive');
  });

  it('refuses bad input with 400 and a JSON error', async () => {
    const cases: [ApiPath<'post'>, unknown][] = [
      ['/scan', {}],
      ['/scan', { code: 42 }],
      ['/scan', { code: '' }],
      ['/scan', { code: 'ABC', extra: true }],
      ['/scan', []],
      ['/validate', { code: null }],
      ['/scans/batch', {}],
      ['/scans/batch', { items: [] }],
      ['/scans/batch', { items: [{ code: 'ABC', scannedAt: iso(0) }] }],
      ['/scans/batch', { items: [{ nonce: 'short', code: 'ABC', scannedAt: iso(0) }] }],
      ['/scans/batch', { items: [{ nonce: nonce(), code: 'ABC', scannedAt: 'yesterday' }] }],
      ['/scans/batch', { items: [{ nonce: nonce(), code: 'ABC', scannedAt: iso(DAY) }] }],
      ['/scans/batch', { items: Array.from({ length: 501 }, () => ({ nonce: nonce(), code: 'ABC', scannedAt: iso(0) })) }],
    ];
    for (const [path, body] of cases) {
      const response = await acme.api.post(path, body);
      assert.equal(response.status, 400, `${path} ${JSON.stringify(body).slice(0, 80)} → ${response.status} ${response.text}`);
      assert.equal(typeof response.body.error, 'string');
    }
    const invalidJson = await acme.api.post('/scan', undefined, { rawBody: '{"code": ', headers: { 'content-type': 'application/json' } });
    assert.equal(invalidJson.status, 400);
    for (const query of ['result=maybe', 'since=yesterday', 'limit=0', 'limit=101', 'page=0', 'other=1']) {
      const response = await acme.api.get(`/scans?${query}`);
      assert.equal(response.status, 400, `${query} → ${response.status}`);
    }
    assert.equal((await acme.api.post('/scan', { code: 'ABC' }, { headers: { authorization: 'Bearer nope' } })).status, 401);
  });
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
