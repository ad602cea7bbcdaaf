import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { apiKeysService } from './support/gateway-services';
import { TOPICS } from '../libs/common/src/events/topics';
import { ApiClient } from './support/api-client';
import { closeGatewayDb, createTenant, eventually, gatewayDb, issueKey, sharedGatewayUrl, TestTenant } from './support/e2e-env';
import { EventCollector } from './support/event-collector';
import { projectedAdmission } from './support/scans-projection';
import { verifySignature, WebhookReceiver } from './support/webhook-receiver';

const STARTS = '2031-06-01T18:00:00Z';

/** Door staff undo the last admission, with a reason, audit-logged. */
describe('undoing an admission: POST /scans/:scanId/undo', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let concert: { id: string };
  let gala: { id: string };
  let events: EventCollector;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    acme = await createTenant({ name: 'Acme Undo' });
    globex = await createTenant({ name: 'Globex Undo' });
    concert = (await acme.api.post('/events', { name: 'Undo concert', startsAt: STARTS })).body;
    gala = (await acme.api.post('/events', { name: 'Undo gala', startsAt: STARTS })).body;
    events = await new EventCollector([TOPICS.scanEvents.name, TOPICS.passEvents.name], (e) => e.tenantId === acme.tenant.id).start();
  });

  afterAll(async () => {
    await receiver.stop();
    await events.stop();
    await closeGatewayDb();
  });

  async function createPass(body: Record<string, unknown>) {
    const response = await acme.api.post('/passes', { eventId: concert.id, ...body });
    assert.equal(response.status, 201, response.text);
    return response.body as { id: string; code: string };
  }

  async function scan(api: ApiClient, code: string) {
    const response = await api.post('/scan', { code });
    assert.equal(response.status, 200, response.text);
    return response.body as { success: boolean; result: string; scan: { id: string }; pass: { usagesCount: number; status: string } };
  }

  /** The passes service has caught up with the scans service's counter. */
  async function untilPassShows(passId: string, usagesCount: number, status: string) {
    await eventually(async () => {
      const { body } = await acme.api.get(`/passes/${passId}`);
      return body.usagesCount === usagesCount && body.status === status ? true : undefined;
    }, 15_000);
  }

  it('takes back a single pass admission: the pass is active again everywhere, the event says why, and the pass can be admitted again', async () => {
    const hook = (await acme.api.post('/webhooks', { event: 'pass.admission_undone', targetUrl: receiver.url('/undone') })).body;
    assert.equal(hook.event, 'pass.admission_undone');
    const pass = await createPass({ type: 'single', clientName: 'Ada Undo' });
    const admitted = await scan(acme.api, pass.code);
    assert.equal(admitted.success, true);
    await untilPassShows(pass.id, 1, 'used');

    const undone = await acme.api.post(`/scans/${admitted.scan.id}/undo`, { reason: '  Scanned the wrong ticket  ' });
    assert.equal(undone.status, 200, undone.text);
    assert.deepEqual(undone.body.pass, {
      id: pass.id,
      code: pass.code,
      name: null,
      type: 'single',
      status: 'active',
      usagesCount: 0,
      maxUsages: null,
    });
    assert.equal(undone.body.scan.id, admitted.scan.id);
    assert.equal(undone.body.scan.reason, 'Scanned the wrong ticket');
    assert.ok(Math.abs(Date.parse(undone.body.scan.undoneAt) - Date.now()) < 60_000);

    // The projection, the passes service and the history agree.
    assert.deepEqual(await projectedAdmission(pass.id), { status: 'active', usages_count: 0 });
    await untilPassShows(pass.id, 0, 'active');
    const history = (await acme.api.get(`/passes/${pass.id}/scans`)).body;
    assert.equal(history.length, 1);
    assert.equal(history[0].undoReason, 'Scanned the wrong ticket');
    assert.equal(history[0].undoneAt, undone.body.scan.undoneAt);

    // pass.admission_undone on the scan topic (keyed by the pass), and the passes service's pass.status_changed back to active.
    const isUndo = (e: (typeof events.events)[number]) =>
      e.event.type === 'pass.admission_undone' && (e.event.data as any).scanId === admitted.scan.id;
    const event = (await events.waitFor((all) => all.some(isUndo))).find(isUndo)!;
    assert.equal(event.key, pass.id);
    assert.equal(event.topic, TOPICS.scanEvents.name);
    assert.deepEqual(
      [(event.event.data as any).reason, (event.event.data as any).usagesCount, (event.event.data as any).passStatus],
      ['Scanned the wrong ticket', 0, 'active'],
    );
    // Webhooks may subscribe to it: signed, with the undo's fields and no internal counter version.
    await receiver.waitFor(() => receiver.forPath('/undone').some((r) => r.json?.data?.scanId === admitted.scan.id));
    const [delivery] = receiver.forPath('/undone').filter((r) => r.json?.data?.scanId === admitted.scan.id);
    assert.ok(verifySignature(hook.secret, delivery));
    assert.equal(delivery.json.type, 'pass.admission_undone');
    assert.deepEqual(
      [
        delivery.json.data.passId,
        delivery.json.data.reason,
        delivery.json.data.usagesCount,
        delivery.json.data.passStatus,
        delivery.json.data.holderName,
      ],
      [pass.id, 'Scanned the wrong ticket', 0, 'active', 'Ada Undo'],
    );
    assert.ok(!('tallyVersion' in delivery.json.data) && !('tenantId' in delivery.json.data));
    await events.waitFor((all) =>
      all.some(
        (e) =>
          e.event.type === 'pass.status_changed' &&
          (e.event.data as any).id === pass.id &&
          (e.event.data as any).status === 'active' &&
          (e.event.data as any).previousStatus === 'used',
      ),
    );

    // A pass event carrying the passes service's older view must not bring the undone admission back:
    // rename the pass (pass.updated) and scan it; it is admitted once more, then already_used.
    assert.equal((await acme.api.patch(`/passes/${pass.id}`, { name: 'Renamed after undo' })).status, 200);
    await eventually(async () => ((await projectedAdmission(pass.id)) ? true : undefined));
    const again = await scan(acme.api, pass.code);
    assert.deepEqual([again.success, again.pass.usagesCount, again.pass.status], [true, 1, 'used']);
    assert.equal((await scan(acme.api, pass.code)).result, 'already_used');
    await untilPassShows(pass.id, 1, 'used');

    // The audit log has who undid what, and why.
    const entry = await eventually(async () => {
      const { body } = await acme.api.get(`/audit-log?resource=${admitted.scan.id}`);
      return (body as any[]).find((e) => e.action === 'scans.undo');
    });
    assert.equal(entry.resourceType, 'scans');
    assert.equal(entry.actor.type, 'api_key');
    assert.equal(entry.details.reason, 'Scanned the wrong ticket');
    assert.equal(entry.details.passId, pass.id);
  });

  it('undoes only the latest admission, once: a later admission or a second undo is a 409, a refused scan is no admission', async () => {
    const pass = await createPass({ type: 'multi', maxUsages: 3, clientName: 'Multi Undo' });
    const first = await scan(acme.api, pass.code);
    const second = await scan(acme.api, pass.code);
    assert.equal(second.pass.usagesCount, 2);

    const stale = await acme.api.post(`/scans/${first.scan.id}/undo`, { reason: 'wrong one' });
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.body.code, 'not_last_admission');
    assert.equal((await projectedAdmission(pass.id))?.usages_count, 2);

    const latest = await acme.api.post(`/scans/${second.scan.id}/undo`, { reason: 'Counted twice' });
    assert.equal(latest.status, 200, latest.text);
    assert.equal(latest.body.pass.usagesCount, 1);
    const twice = await acme.api.post(`/scans/${second.scan.id}/undo`, { reason: 'Counted twice' });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.code, 'already_undone');

    // With the second admission taken back, the first is the latest again.
    const firstNow = await acme.api.post(`/scans/${first.scan.id}/undo`, { reason: 'Guest left' });
    assert.equal(firstNow.status, 200, firstNow.text);
    assert.equal(firstNow.body.pass.usagesCount, 0);
    await untilPassShows(pass.id, 0, 'active');

    const single = await createPass({ type: 'single', clientName: 'Single Undo' });
    await scan(acme.api, single.code);
    const refused = await scan(acme.api, single.code);
    assert.equal(refused.result, 'already_used');
    const notAdmission = await acme.api.post(`/scans/${refused.scan.id}/undo`, { reason: 'x' });
    assert.equal(notAdmission.status, 409);
    assert.equal(notAdmission.body.code, 'not_an_admission');
  });

  it('answers 4xx JSON for bad input and unknown scans, and keeps tenants, event scopes and door scanners apart', async () => {
    const pass = await createPass({ type: 'multi', clientName: 'Scoped Undo' });
    const admitted = await scan(acme.api, pass.code);
    const path = `/scans/${admitted.scan.id}/undo` as const;

    for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 42 }, { reason: 'x'.repeat(501) }, { reason: 'ok', extra: 1 }]) {
      const response = await acme.api.post(path, body);
      assert.equal(response.status, 400, `${JSON.stringify(body)}: ${response.text}`);
      assert.equal(typeof response.body.error, 'string');
    }
    const badJson = await acme.api.request('POST', path, { rawBody: '{"reason":', headers: { 'content-type': 'application/json' } });
    assert.equal(badJson.status, 400);
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const response = await acme.api.post(`/scans/${id}/undo`, { reason: 'x' });
      assert.equal(response.status, 404, response.text);
      assert.equal(typeof response.body.error, 'string');
    }

    // Another tenant, and a key scoped to another event, see no such scan.
    assert.equal((await globex.api.post(path, { reason: 'x' })).status, 404);
    const galaStaff = await apiKeysService(await gatewayDb()).issue(acme.tenant.id, 'staff', 'gala manager', [gala.id]);
    assert.equal((await new ApiClient(sharedGatewayUrl(), galaStaff.apiKey).post(path, { reason: 'x' })).status, 404);

    // A door scanner undoes only what its own key admitted.
    const door = await issueKey(acme.tenant.id, 'scanner');
    const notMine = await door.api.post(path, { reason: 'x' });
    assert.equal(notMine.status, 403, notMine.text);
    assert.equal(notMine.body.code, 'not_own_admission');
    const mine = await scan(door.api, pass.code);
    const undone = await door.api.post(`/scans/${mine.scan.id}/undo`, { reason: 'Door scanned it twice' });
    assert.equal(undone.status, 200, undone.text);
    assert.equal(undone.body.pass.usagesCount, 1);
    // A scoped manager of the pass's event may.
    const concertStaff = await apiKeysService(await gatewayDb()).issue(acme.tenant.id, 'staff', 'concert manager', [concert.id]);
    const managed = await new ApiClient(sharedGatewayUrl(), concertStaff.apiKey).post(path, { reason: 'Manager fixed it' });
    assert.equal(managed.status, 200, managed.text);
    assert.equal(managed.body.pass.usagesCount, 0);
    assert.equal((await projectedAdmission(pass.id))?.usages_count, 0);
  });
});
