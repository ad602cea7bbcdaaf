import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { TOPICS } from '../libs/common/src/events/topics';
import { closeGatewayDb, createTenant, eventually, issueKey, TestTenant } from './support/e2e-env';
import { EventCollector } from './support/event-collector';

const STARTS = '2030-06-01T18:00:00Z';
const ENDS = '2030-06-01T23:00:00Z';

describe('events API through the gateway', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let events: EventCollector;

  const newEvent = async (tenant: TestTenant, body: Record<string, unknown> = {}) => {
    const response = await tenant.api.post('/events', { name: 'Launch Party', startsAt: STARTS, ...body });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Events' });
    globex = await createTenant({ name: 'Globex Events' });
    events = await new EventCollector([TOPICS.eventEvents.name], (e) => e.tenantId === acme.tenant.id).start();
  });

  afterAll(async () => {
    await events.stop();
    await closeGatewayDb();
  });

  it('creates an event with a generated slug, normalised attendee fields and branding, and publishes event.created', async () => {
    const response = await acme.api.post('/events', {
      name: 'Summer Fest — Zürich 2030',
      startsAt: STARTS,
      endsAt: ENDS,
      venue: 'Hallenstadion',
      category: 'music',
      details: 'Doors at 17:00',
      attendeeFields: [
        { key: 'email', label: 'E-mail', required: true },
        { key: 'company', required: false },
      ],
      branding: { primaryColor: '#ff0066', logoUrl: 'https://cdn.example.com/fest.png' },
    });
    assert.equal(response.status, 201);
    const event = response.body;
    assert.deepEqual(Object.keys(event).sort(), [
      'attendeeFields',
      'branding',
      'category',
      'createdAt',
      'details',
      'endsAt',
      'id',
      'name',
      'slug',
      'startsAt',
      'status',
      'timezone',
      'updatedAt',
      'venue',
    ]);
    assert.equal(event.timezone, null);
    assert.equal(event.slug, 'summer-fest-zurich-2030');
    assert.equal(event.startsAt, '2030-06-01T18:00:00.000Z');
    assert.equal(event.endsAt, '2030-06-01T23:00:00.000Z');
    assert.equal(event.status, 'active');
    assert.deepEqual(event.attendeeFields, [
      { key: 'name', label: 'Name', required: true },
      { key: 'email', label: 'E-mail', required: true },
      { key: 'company', label: 'company', required: false },
    ]);
    assert.deepEqual(event.branding, {
      primaryColor: '#ff0066',
      backgroundColor: null,
      textColor: null,
      logoUrl: 'https://cdn.example.com/fest.png',
    });
    assert.deepEqual((await acme.api.get(`/events/${event.id}`)).body, event);

    await events.waitFor((all) => all.some((e) => e.event.type === 'event.created' && (e.event.data as any).id === event.id));
    const created = events.ofType('event.created').find((e) => (e.event.data as any).id === event.id)!;
    assert.equal(created.key, event.id, 'keyed by the event id');
    assert.equal(created.topic, 'passway.event-events.v1');
    assert.equal((created.event.data as any).slug, event.slug);
    assert.equal(created.event.tenantId, acme.tenant.id);
  });

  it('keeps slugs unique per tenant (-2, -3…), lets PATCH change them, and answers 409 for a taken one', async () => {
    const tenant = await createTenant({ name: 'Slugs' });
    const first = await newEvent(tenant, { name: 'Gala Night' });
    const second = await newEvent(tenant, { name: 'gala   night!' });
    const third = await newEvent(tenant, { name: 'Gala Night' });
    assert.deepEqual([first.slug, second.slug, third.slug], ['gala-night', 'gala-night-2', 'gala-night-3']);
    assert.equal(
      (await newEvent(globex, { name: 'Gala Night' })).slug.startsWith('gala-night'),
      true,
      'other tenants have their own slugs',
    );
    assert.equal((await newEvent(tenant, { name: '音乐会' })).slug, 'event');

    const renamed = await tenant.api.patch(`/events/${second.id}`, { name: 'Renamed Gala' });
    assert.equal(renamed.body.slug, 'gala-night-2', 'renaming keeps the slug: URLs stay stable');
    const edited = await tenant.api.patch(`/events/${second.id}`, { slug: 'vip-gala-2030' });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.slug, 'vip-gala-2030');
    assert.equal((await newEvent(tenant, { name: 'Gala Night' })).slug, 'gala-night-2', 'the freed slug is reused');

    const taken = await tenant.api.patch(`/events/${third.id}`, { slug: 'gala-night' });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 'slug_taken');
    assert.equal((await tenant.api.get(`/events/${third.id}`)).body.slug, 'gala-night-3', 'a refused PATCH changes nothing');
    assert.equal((await tenant.api.post('/events', { name: 'Other', startsAt: STARTS, slug: 'vip-gala-2030' })).status, 409);
    assert.equal((await tenant.api.patch(`/events/${first.id}`, { slug: 'gala-night' })).status, 200, 'its own slug is not a clash');

    for (const slug of ['Gala', 'gala--night', '-gala', 'gala-', 'gala_night', 'gala night', '', 'x'.repeat(81), 42]) {
      const response = await tenant.api.patch(`/events/${first.id}`, { slug });
      assert.equal(response.status, 400, JSON.stringify(slug));
      assert.equal(typeof response.body.error, 'string');
    }
  });

  it('generates distinct slugs for concurrent creations of one name', async () => {
    const tenant = await createTenant({ name: 'Slug race' });
    const responses = await Promise.all(Array.from({ length: 6 }, () => tenant.api.post('/events', { name: 'Race', startsAt: STARTS })));
    assert.deepEqual(
      responses.map((r) => r.status),
      [201, 201, 201, 201, 201, 201],
    );
    assert.deepEqual(responses.map((r) => r.body.slug).sort(), ['race', 'race-2', 'race-3', 'race-4', 'race-5', 'race-6']);
  });

  it('lists events newest first with search, status, limit, page, X-Total-Count and Link, and validates the query', async () => {
    const tenant = await createTenant({ name: 'Event lister' });
    for (const name of ['Alpha', 'Bravo', 'Charlie']) await newEvent(tenant, { name, venue: `${name} Hall` });
    const bravo = (await tenant.api.get('/events?search=bravo')).body;
    assert.deepEqual(
      bravo.map((e: any) => e.name),
      ['Bravo'],
    );
    await tenant.api.post(`/events/${bravo[0].id}/suspend`);

    const all = await tenant.api.get('/events');
    assert.deepEqual(
      all.body.map((e: any) => e.name),
      ['Charlie', 'Bravo', 'Alpha'],
    );
    assert.equal(all.headers.get('x-total-count'), '3');
    const page2 = await tenant.api.get('/events?limit=1&page=2');
    assert.deepEqual(
      page2.body.map((e: any) => e.name),
      ['Bravo'],
    );
    assert.match(page2.headers.get('link')!, /limit=1&page=3>; rel="next"/);
    assert.deepEqual(
      (await tenant.api.get('/events?status=suspended')).body.map((e: any) => e.name),
      ['Bravo'],
    );
    assert.deepEqual(
      (await tenant.api.get('/events?status=active')).body.map((e: any) => e.name),
      ['Charlie', 'Alpha'],
    );
    assert.deepEqual(
      (await tenant.api.get('/events?search=alpha%20hall')).body.map((e: any) => e.name),
      ['Alpha'],
    );
    assert.equal((await tenant.api.get('/events?search=%25')).body.length, 0);
    for (const query of ['limit=0', 'limit=101', 'page=0', 'status=cancelled', 'unknown=1']) {
      assert.equal((await tenant.api.get(`/events?${query}`)).status, 400, query);
    }
  });

  it('PATCH updates fields, merges branding, and publishes event.updated with the changed fields', async () => {
    const event = await newEvent(acme, { name: 'Patchable', endsAt: ENDS, branding: { primaryColor: '#000000', textColor: '#ffffff' } });
    const patched = await acme.api.patch(`/events/${event.id}`, {
      name: 'Patched',
      venue: 'Main Stage',
      details: null,
      endsAt: null,
      attendeeFields: [{ key: 'phone', required: true }],
      branding: { primaryColor: '#123456', textColor: null, backgroundColor: '#fafafa' },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, 'Patched');
    assert.equal(patched.body.venue, 'Main Stage');
    assert.equal(patched.body.endsAt, null);
    assert.deepEqual(patched.body.attendeeFields, [
      { key: 'name', label: 'Name', required: true },
      { key: 'phone', label: 'Phone', required: true },
    ]);
    assert.deepEqual(patched.body.branding, { primaryColor: '#123456', backgroundColor: '#fafafa', textColor: null, logoUrl: null });
    await events.waitFor((all) => all.some((e) => e.event.type === 'event.updated' && (e.event.data as any).id === event.id));
    const updated = events.ofType('event.updated').find((e) => (e.event.data as any).id === event.id) as any;
    assert.deepEqual(updated.event.data.changedFields.sort(), ['attendeeFields', 'branding', 'endsAt', 'name', 'venue']);
    assert.equal(updated.key, event.id);

    const noop = await acme.api.patch(`/events/${event.id}`, { name: 'Patched', branding: { primaryColor: '#123456' } });
    assert.equal(noop.body.updatedAt, patched.body.updatedAt, 'a PATCH that changes nothing saves nothing');
    const startsLate = await acme.api.patch(`/events/${event.id}`, { endsAt: '2030-06-02T00:00:00Z', startsAt: '2030-06-03T00:00:00Z' });
    assert.equal(startsLate.status, 400);
    await acme.api.patch(`/events/${event.id}`, { endsAt: '2030-06-02T00:00:00Z' });
    await events.waitFor((all) => all.filter((e) => e.event.type === 'event.updated' && (e.event.data as any).id === event.id).length >= 2);
    const updates = events.ofType('event.updated').filter((e) => (e.event.data as any).id === event.id);
    assert.deepEqual(
      updates.map((e) => (e.event.data as any).changedFields),
      [updated.event.data.changedFields, ['endsAt']],
      'no event for the no-op PATCH',
    );
    assert.equal(
      (await acme.api.patch(`/events/${event.id}`, { startsAt: '2030-06-03T00:00:00Z' })).status,
      400,
      'checked against the stored endsAt',
    );
    assert.equal((await acme.api.get(`/events/${event.id}`)).body.startsAt, STARTS.replace('Z', '.000Z'));
  });

  it('refuses invalid events with 400 and a JSON error, creating nothing', async () => {
    const tenant = await createTenant({ name: 'Event validator' });
    const bad: unknown[] = [
      {},
      { name: 'No start' },
      { startsAt: STARTS },
      { name: '', startsAt: STARTS },
      { name: 'x', startsAt: 'next friday' },
      { name: 'x', startsAt: '2030-02-30T00:00:00Z' },
      { name: 'x', startsAt: STARTS, endsAt: '2030-05-01T00:00:00Z' },
      { name: 'x', startsAt: STARTS, branding: { primaryColor: 'red' } },
      { name: 'x', startsAt: STARTS, branding: { logoUrl: 'http://insecure.example.com/logo.png' } },
      { name: 'x', startsAt: STARTS, branding: { logoUrl: 'javascript:alert(1)' } },
      { name: 'x', startsAt: STARTS, branding: { font: 'Comic Sans' } },
      { name: 'x', startsAt: STARTS, branding: 'blue' },
      { name: 'x', startsAt: STARTS, branding: ['#ffffff'] },
      { name: 'x', startsAt: STARTS, attendeeFields: 'email' },
      { name: 'x', startsAt: STARTS, attendeeFields: [{ key: 'Company' }] },
      { name: 'x', startsAt: STARTS, attendeeFields: [{ key: 'company name' }] },
      { name: 'x', startsAt: STARTS, attendeeFields: [{ key: 'email', required: 'yes' }] },
      { name: 'x', startsAt: STARTS, attendeeFields: [{ key: 'email' }, { key: 'email' }] },
      { name: 'x', startsAt: STARTS, attendeeFields: [{ key: 'name', required: false }] },
      { name: 'x', startsAt: STARTS, attendeeFields: Array.from({ length: 31 }, (_, i) => ({ key: `f${i}` })) },
      { name: 'x', startsAt: STARTS, status: 'suspended' },
      { name: 'x', startsAt: STARTS, slug: null },
      { name: 'x', startsAt: null },
      { name: 'x', startsAt: STARTS, tenantId: globex.tenant.id },
      [{ name: 'x', startsAt: STARTS }],
    ];
    for (const body of bad) {
      const response = await tenant.api.post('/events', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(typeof response.body.error, 'string', JSON.stringify(response.body));
    }
    assert.equal((await tenant.api.get('/events')).body.length, 0);
    const event = await newEvent(tenant);
    for (const body of [
      { startsAt: null },
      { name: null },
      { slug: null },
      { attendeeFields: null },
      { branding: null },
      { status: 'suspended' },
      { attendeeFields: [{ key: 'name', required: false }] },
      { branding: { textColor: '#fff' } },
    ]) {
      assert.equal((await tenant.api.patch(`/events/${event.id}`, body)).status, 400, JSON.stringify(body));
    }
  });

  it('suspend and resume: 200, 400 when already so, event.updated, and a suspended event takes no attendees', async () => {
    const event = await newEvent(acme, { name: 'Suspendable' });
    const again = await acme.api.post(`/events/${event.id}/resume`);
    assert.equal(again.status, 400);
    assert.match(again.body.error, /already active/i);

    const suspended = await acme.api.post(`/events/${event.id}/suspend`);
    assert.equal(suspended.status, 200);
    assert.equal(suspended.body.status, 'suspended');
    const twice = await acme.api.post(`/events/${event.id}/suspend`);
    assert.equal(twice.status, 400);
    assert.equal(twice.body.code, 'already_suspended');

    const refused = await acme.api.post('/passes', { type: 'single', eventId: event.id, clientName: 'Late Comer' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 'event_suspended');
    assert.equal((await acme.api.get(`/passes?eventId=${event.id}`)).body.length, 0);

    const resumed = await acme.api.post(`/events/${event.id}/resume`);
    assert.equal(resumed.status, 200);
    assert.equal(resumed.body.status, 'active');
    assert.equal((await acme.api.post('/passes', { type: 'single', eventId: event.id, clientName: 'Late Comer' })).status, 201);

    await events.waitFor(
      (all) => all.filter((e) => e.event.type === 'event.updated' && (e.event.data as any).id === event.id).length === 2,
    );
    const changes = events
      .ofType('event.updated')
      .filter((e) => (e.event.data as any).id === event.id)
      .map((e) => e.event.data as any);
    assert.deepEqual(
      changes.map((c) => [c.changedFields, c.previousStatus, c.status]),
      [
        [['status'], 'active', 'suspended'],
        [['status'], 'suspended', 'active'],
      ],
    );
  });

  it('checks the event attendee fields when a pass is created: a missing required field is a 400 naming it', async () => {
    const event = await newEvent(acme, {
      name: 'Conference',
      attendeeFields: [{ key: 'email', required: true }, { key: 'phone' }, { key: 'company', label: 'Company', required: true }],
    });
    const nothing = await acme.api.post('/passes', { type: 'single', eventId: event.id });
    assert.equal(nothing.status, 400);
    assert.equal(nothing.body.code, 'attendee_field_missing');
    assert.deepEqual(
      nothing.body.details.map((d: any) => d.field),
      ['name', 'email', 'company'],
    );
    assert.match(nothing.body.error, /name, email, company/);

    const noCompany = await acme.api.post('/passes', {
      type: 'single',
      eventId: event.id,
      clientName: 'Ada Lovelace',
      clientEmail: 'ada@example.com',
    });
    assert.equal(noCompany.status, 400);
    assert.deepEqual(
      noCompany.body.details.map((d: any) => d.field),
      ['company'],
    );
    const blank = await acme.api.post('/passes', {
      type: 'single',
      eventId: event.id,
      clientName: 'Ada Lovelace',
      clientEmail: 'ada@example.com',
      customFields: [{ key: 'company', value: '   ' }],
    });
    assert.equal(blank.status, 400, 'a blank value is a missing one');

    const noEmailClient = (await acme.api.post('/clients', { name: 'No Email' })).body;
    const byId = await acme.api.post('/passes', {
      type: 'single',
      eventId: event.id,
      clientId: noEmailClient.id,
      customFields: [{ key: 'company', value: 'X' }],
    });
    assert.equal(byId.status, 400);
    assert.deepEqual(
      byId.body.details.map((d: any) => d.field),
      ['email'],
    );
    assert.equal((await acme.api.get(`/passes?eventId=${event.id}`)).body.length, 0, 'refused passes create nothing');

    const ok = await acme.api.post('/passes', {
      type: 'single',
      eventId: event.id,
      clientName: 'Ada Lovelace',
      clientEmail: 'ada@example.com',
      customFields: [{ key: 'company', value: 'Analytical Engines', isPublic: true }],
    });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const detail = (await acme.api.get(`/passes/${ok.body.id}`)).body;
    assert.equal(detail.eventId, event.id);
    assert.equal(detail.client.email, 'ada@example.com');

    const dropped = await acme.api.patch(`/passes/${ok.body.id}`, { customFields: [{ key: 'note', value: 'x' }] });
    assert.equal(dropped.status, 400, 'replacing customFields cannot drop a required attendee field');
    assert.deepEqual(
      dropped.body.details.map((d: any) => d.field),
      ['company'],
    );

    const plain = await acme.api.post('/passes', { type: 'single', name: 'No event' });
    assert.equal((await acme.api.get(`/passes/${plain.body.id}`)).body.eventId, null);
  });

  it('clientEmail and clientPhone pick the client with exactly those details, or create one', async () => {
    const tenant = await createTenant({ name: 'Holders' });
    const a = await tenant.api.post('/passes', { type: 'single', clientName: 'Sam Lee', clientEmail: 'sam@one.example' });
    const b = await tenant.api.post('/passes', { type: 'single', clientName: 'sam lee', clientEmail: 'SAM@one.example' });
    const c = await tenant.api.post('/passes', {
      type: 'single',
      clientName: 'Sam Lee',
      clientEmail: 'sam@two.example',
      clientPhone: '+41 44 000 00 00',
    });
    const client = async (id: string) => (await tenant.api.get(`/passes/${id}`)).body.client;
    assert.equal((await client(a.body.id)).id, (await client(b.body.id)).id);
    assert.notEqual((await client(a.body.id)).id, (await client(c.body.id)).id);
    assert.equal((await client(c.body.id)).phone, '+41 44 000 00 00');
    assert.equal((await tenant.api.get('/clients')).body.length, 2);
    for (const body of [
      { type: 'single', clientEmail: 'x@example.com' },
      { type: 'single', clientName: 'x', clientEmail: 'not-an-email' },
      { type: 'single', clientName: 'x', clientPhone: 'call me' },
    ]) {
      assert.equal((await tenant.api.post('/passes', body)).status, 400, JSON.stringify(body));
    }
  });

  it('refuses unknown, foreign and malformed eventIds with 400, and filters passes by eventId', async () => {
    const foreign = await newEvent(globex, { name: 'Not yours' });
    for (const eventId of [foreign.id, '00000000-0000-0000-0000-000000000000', 'not-an-id']) {
      const response = await acme.api.post('/passes', { type: 'single', eventId, clientName: 'X' });
      assert.equal(response.status, 400, eventId);
      assert.equal(response.body.code, 'unknown_event');
    }
    const one = await newEvent(acme, { name: 'Filter one' });
    const two = await newEvent(acme, { name: 'Filter two' });
    const p1 = (await acme.api.post('/passes', { type: 'single', eventId: one.id, clientName: 'A' })).body;
    const p2 = (await acme.api.post('/passes', { type: 'single', eventId: one.id, clientName: 'B' })).body;
    await acme.api.post('/passes', { type: 'single', eventId: two.id, clientName: 'C' });
    const filtered = await acme.api.get(`/passes?eventId=${one.id}`);
    assert.deepEqual(
      filtered.body.map((p: any) => p.id),
      [p2.id, p1.id],
    );
    assert.equal(filtered.headers.get('x-total-count'), '2');
    assert.equal((await acme.api.get(`/passes?eventId=${one.id}&search=${p1.code}`)).body.length, 1);
    assert.equal((await globex.api.get(`/passes?eventId=${one.id}`)).body.length, 0);
    assert.equal((await acme.api.get('/passes?eventId=nope')).status, 400);
  });

  it('finds attendees for manual check-in by name, email or code, with holder fields and a checked-in flag', async () => {
    const event = await newEvent(acme, { name: 'Door', attendeeFields: [{ key: 'email' }, { key: 'table' }] });
    const create = (body: Record<string, unknown>) =>
      acme.api.post('/passes', { type: 'single', eventId: event.id, ...body }).then((r) => r.body);
    const grace = await create({
      clientName: 'Grace Hopper',
      clientEmail: 'grace@navy.example',
      customFields: [{ key: 'table', value: '7' }],
    });
    const alan = await create({ clientName: 'Alan Turing', clientEmail: 'alan@bletchley.example' });
    const barbara = await create({ clientName: 'Barbara Liskov' });
    await acme.api.post('/passes', { type: 'single', clientName: 'Grace Elsewhere' });
    const scanner = await issueKey(acme.tenant.id, 'scanner');
    // Door staff check Alan in by hand; the passes service learns of it from pass.scanned.
    assert.equal((await scanner.api.post('/scan', { code: alan.code, method: 'manual' })).body.result, 'success');
    const all = await eventually(async () => {
      const response = await scanner.api.get(`/events/${event.id}/attendees`);
      return response.body.find?.((a: any) => a.id === alan.id)?.checkedIn ? response : undefined;
    });
    assert.equal(all.status, 200);
    assert.equal(all.headers.get('x-total-count'), '3');
    assert.deepEqual(
      all.body.map((a: any) => a.holder.name),
      ['Alan Turing', 'Barbara Liskov', 'Grace Hopper'],
      'sorted by holder name',
    );
    const graceRow = all.body.find((a: any) => a.id === grace.id);
    assert.deepEqual(graceRow.holder, { name: 'Grace Hopper', email: 'grace@navy.example', table: '7' });
    assert.equal(graceRow.code, grace.code);
    assert.equal(graceRow.checkedIn, false);
    assert.equal(all.body.find((a: any) => a.id === alan.id).checkedIn, true);
    assert.deepEqual(Object.keys(graceRow).sort(), [
      'checkedIn',
      'code',
      'createdAt',
      'holder',
      'id',
      'maxUsages',
      'name',
      'status',
      'type',
      'usagesCount',
    ]);

    const search = async (term: string) =>
      (await scanner.api.get(`/events/${event.id}/attendees?search=${encodeURIComponent(term)}`)).body.map((a: any) => a.id);
    assert.deepEqual(await search('grace'), [grace.id], 'only this event’s passes');
    assert.deepEqual(await search('BLETCHLEY'), [alan.id]);
    assert.deepEqual(await search(barbara.code.slice(2, 10).toLowerCase()), [barbara.id]);
    assert.deepEqual(await search('nobody'), []);
    const paged = await scanner.api.get(`/events/${event.id}/attendees?limit=1&page=2`);
    assert.deepEqual(
      paged.body.map((a: any) => a.id),
      [barbara.id],
    );
    assert.match(paged.headers.get('link')!, /rel="last"/);
    assert.equal((await scanner.api.get(`/events/${event.id}/attendees?limit=500`)).status, 400);
  });

  it('reports attendees, check-ins and the check-in rate from passes, scans by result and check-ins by UTC hour from scans', async () => {
    const event = await newEvent(acme, { name: 'Stats' });
    const empty = await acme.api.get(`/events/${event.id}/stats`);
    assert.deepEqual(empty.body, {
      eventId: event.id,
      attendees: 0,
      checkedIn: 0,
      checkInRate: 0,
      scansByResult: {},
      byHour: [],
      scansAvailable: true,
    });

    const multi = (await acme.api.post('/passes', { type: 'multi', eventId: event.id, clientName: 'P1' })).body;
    const single = (await acme.api.post('/passes', { type: 'single', eventId: event.id, clientName: 'P2' })).body;
    await acme.api.post('/passes', { type: 'multi', eventId: event.id, clientName: 'P3' });
    const elsewhere = (await acme.api.post('/passes', { type: 'single', clientName: 'Not at this event' })).body;
    const scans = [];
    for (const code of [multi.code, multi.code, single.code, single.code, elsewhere.code]) {
      scans.push((await acme.api.post('/scan', { code })).body);
    }
    assert.deepEqual(
      scans.map((s) => s.result),
      ['success', 'success', 'success', 'already_used', 'success'],
    );
    const hours = new Map<string, number>();
    for (const scan of scans.slice(0, 4).filter((s) => s.success)) {
      const hour = `${scan.scan.scannedAt.slice(0, 13)}:00:00.000Z`;
      hours.set(hour, (hours.get(hour) ?? 0) + 1);
    }

    // checkedIn follows the passes service's tally of pass.scanned (asynchronous); the breakdowns are the scans service's own.
    const stats = await eventually(async () => {
      const response = await acme.api.get(`/events/${event.id}/stats`);
      assert.equal(response.status, 200);
      return response.body.checkedIn === 2 ? response.body : undefined;
    });
    assert.deepEqual(stats, {
      eventId: event.id,
      attendees: 3,
      checkedIn: 2,
      checkInRate: 0.6667,
      scansByResult: { success: 3, already_used: 1 },
      byHour: [...hours].sort().map(([hour, count]) => ({ hour, scans: count })),
      scansAvailable: true,
    });
  });

  it("hides other tenants' events: every route answers 404", async () => {
    const event = await newEvent(acme, { name: 'Private event' });
    const routes: [string, string, unknown?][] = [
      ['GET', `/events/${event.id}`],
      ['PATCH', `/events/${event.id}`, { name: 'Hijack' }],
      ['POST', `/events/${event.id}/suspend`],
      ['POST', `/events/${event.id}/resume`],
      ['GET', `/events/${event.id}/attendees`],
      ['GET', `/events/${event.id}/stats`],
    ];
    for (const [method, path, body] of routes) {
      const response = await globex.api.request(method, path, { body });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.body.error, 'Event not found');
    }
    assert.ok(!(await globex.api.get('/events?limit=100')).body.some((e: any) => e.id === event.id));
    const mine = await acme.api.get(`/events/${event.id}`);
    assert.equal(mine.body.name, 'Private event');
    assert.equal(mine.body.status, 'active');
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid']) {
      assert.equal((await acme.api.get(`/events/${id}`)).status, 404);
      assert.equal((await acme.api.get(`/events/${id}/stats`)).status, 404);
    }
  });
});
