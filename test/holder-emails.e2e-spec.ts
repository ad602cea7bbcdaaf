import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { TOPICS } from '../libs/common/src/events/topics';
import { closeGatewayDb, createTenant, eventually, TestTenant } from './support/e2e-env';
import { EventCollector } from './support/event-collector';
import { FakeResendControl, ReceivedEmailRequest } from './support/fake-resend';
import { decodeQrPng } from './support/qr-decode';

/**
 * Every holder-email path, end to end: REST → passes → outbox → Kafka → notifications → BullMQ →
 * the resend SDK → the local Resend stand-in that `npm test` points the stack at.
 */
describe('holder emails through Resend', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let resend: FakeResendControl;
  let events: EventCollector;
  let db: Client;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Emails' });
    globex = await createTenant({ name: 'Globex Emails' });
    resend = FakeResendControl.fromEnv();
    events = await new EventCollector([TOPICS.passEvents.name], (e) => e.tenantId === acme.tenant.id).start();
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await events.stop();
    await db.end();
    await closeGatewayDb();
  });

  const newAddress = () => `holder-${randomUUID()}@example.test`;

  async function passFor(email: string | null, extra: Record<string, unknown> = {}) {
    const client = await acme.api.post('/clients', { name: `Holder ${randomUUID().slice(0, 8)}`, ...(email ? { email } : {}) });
    assert.equal(client.status, 201, client.text);
    const pass = await acme.api.post('/passes', { type: 'single', name: 'Summer Festival', clientId: client.body.id, ...extra });
    assert.equal(pass.status, 201, pass.text);
    return pass.body as { id: string; code: string; publicUrl: string; name: string };
  }

  const accepted = (requests: ReceivedEmailRequest[]) => requests.filter((request) => request.accepted);

  async function sentTo(address: string, count = 1, timeoutMs = 20_000): Promise<ReceivedEmailRequest[]> {
    return eventually(async () => {
      const requests = await resend.to(address);
      return accepted(requests).length >= count ? requests : undefined;
    }, timeoutMs);
  }

  async function emailsOf(passId: string, until: (emails: any[]) => boolean, tenant = acme) {
    return eventually(async () => {
      const response = await tenant.api.get(`/passes/${passId}/emails`);
      assert.equal(response.status, 200, response.text);
      return until(response.body) ? response.body : undefined;
    }, 20_000);
  }

  it('sends "your pass": branded, escaped, public fields only, the QR as an inline PNG, a link to the page', async () => {
    const template = await acme.api.post('/templates', {
      name: 'Festival',
      primaryColor: '#aa3300',
      backgroundColor: '#fffaf0',
      textColor: '#222222',
      logoUrl: 'https://cdn.example.test/logo.png',
    });
    assert.equal(template.status, 201, template.text);
    const to = newAddress();
    const pass = await passFor(to, {
      name: 'Gala <script>alert(1)</script> & "friends"',
      templateId: template.body.id,
      validUntil: '2099-12-31T23:00:00Z',
      customFields: [
        { key: 'Seat', value: 'Row <b>7</b>', isPublic: true },
        { key: 'Internal note', value: 'PRIVATE-VALUE-42', isPublic: false },
      ],
    });

    const [request] = accepted(await sentTo(to));
    assert.equal(request.from, 'Passway <passes@passway.local>');
    assert.deepEqual(request.to, [to]);
    assert.equal(request.subject, 'Your pass: Gala <script>alert(1)</script> & "friends"', 'the subject is plain text');
    assert.ok(request.html.includes('Gala &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;'), 'the name is escaped');
    assert.ok(!request.html.includes('<script'), 'no script element in the HTML');
    assert.ok(request.html.includes('Row &lt;b&gt;7&lt;/b&gt;'), 'the public field, escaped');
    assert.ok(!request.html.includes('PRIVATE-VALUE-42') && !request.text!.includes('PRIVATE-VALUE-42'), 'private fields stay out');
    assert.ok(request.html.includes('#aa3300') && request.html.includes('#fffaf0'), 'the template colours');
    assert.ok(request.html.includes('src="https://cdn.example.test/logo.png"'), 'the template logo');
    assert.ok(request.html.includes(`href="${pass.publicUrl}"`), 'a link to the public page');
    assert.ok(request.text!.includes(pass.publicUrl) && request.text!.includes('Valid until 31 Dec 2099'));
    assert.ok(request.html.includes('src="cid:pass-qr"'));
    const qr = request.attachments.find((attachment) => attachment.content_id === 'pass-qr');
    assert.ok(qr?.content, 'the QR travels as an inline attachment');
    assert.equal(decodeQrPng(Buffer.from(qr.content, 'base64')), pass.code, 'the QR decodes to the pass code');

    const [email] = await emailsOf(pass.id, (emails) => emails[0]?.status === 'sent');
    assert.equal(request.idempotencyKey, email.id, 'Idempotency-Key is the email id');
    assert.deepEqual(
      {
        kind: email.kind,
        to: email.to,
        status: email.status,
        provider: email.provider,
        providerMessageId: email.providerMessageId,
        attempts: email.attempts,
        lastError: email.lastError,
      },
      { kind: 'pass_issued', to, status: 'sent', provider: 'resend', providerMessageId: request.id, attempts: 1, lastError: null },
    );
    assert.ok(email.sentAt);
  });

  it('retries a 500 and then sends, with the same Idempotency-Key', async () => {
    const to = newAddress();
    await resend.failNext(to, [500]);
    const pass = await passFor(to);
    const requests = await sentTo(to);
    assert.deepEqual(
      requests.map((request) => request.status),
      [500, 200],
    );
    assert.equal(new Set(requests.map((request) => request.idempotencyKey)).size, 1);
    const [email] = await emailsOf(pass.id, (emails) => emails[0]?.status === 'sent');
    assert.equal(email.attempts, 2);
  });

  it('backs off on 429 and sends once the rate limit clears', async () => {
    const to = newAddress();
    await resend.failNext(to, [429, 429]);
    const pass = await passFor(to);
    const requests = await sentTo(to);
    assert.deepEqual(
      requests.map((request) => request.status),
      [429, 429, 200],
    );
    assert.equal(new Set(requests.map((request) => request.idempotencyKey)).size, 1);
    const gaps = requests.slice(1).map((request, i) => Date.parse(request.at) - Date.parse(requests[i].at));
    // Lower bounds only (a busy machine may add delay): EMAIL_RETRY_BASE_MS is 200 in tests, doubling.
    assert.ok(gaps[0] >= 190 && gaps[1] >= 390, `exponential backoff: ${gaps.join(' ms, ')} ms`);
    const [email] = await emailsOf(pass.id, (emails) => emails[0]?.status === 'sent');
    assert.equal(email.attempts, 3);
  });

  it('marks an email failed on another 4xx and does not retry it', async () => {
    const to = newAddress();
    await resend.failNext(to, [422]);
    const pass = await passFor(to);
    const [email] = await emailsOf(pass.id, (emails) => emails[0]?.status === 'failed');
    assert.equal(email.attempts, 1);
    assert.match(email.lastError, /422/);
    // Longer than the first two backoffs (200 ms, 400 ms): a retry would have come by now.
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal((await resend.to(to)).length, 1);
  });

  it('sends nothing twice when the same pass.created event is delivered again, and emails a revoke', async () => {
    const to = newAddress();
    const pass = await passFor(to);
    await sentTo(to);
    const [created] = await events.waitFor((all) =>
      all.some((e) => e.event.type === 'pass.created' && (e.event.data as any).id === pass.id),
    );
    const original = events.ofType('pass.created').find((e) => (e.event.data as any).id === pass.id) ?? created;

    const kafka = new Kafka({ clientId: 'e2e-replay', brokers: (process.env.KAFKA_BROKERS ?? '').split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPICS.passEvents.name,
      messages: [{ key: original.key, value: JSON.stringify(original.event), headers: original.headers }],
    });
    await producer.disconnect();

    // Revoking goes to the same partition (keyed by pass id), after the replay: once its email is out, the replay was consumed.
    const revoke = await acme.api.post(`/passes/${pass.id}/revoke`);
    assert.equal(revoke.status, 200);
    const requests = await sentTo(to, 2);
    assert.equal(requests.length, 2, 'one "your pass", one "revoked", nothing more');
    assert.match(requests[0].subject, /^Your pass: /);
    assert.equal(requests[1].subject, 'Your pass was revoked: Summer Festival');
    assert.ok(requests[1].html.includes('Your pass was revoked.'));
    assert.equal(requests[1].attachments.length, 0);
    const emails = await emailsOf(pass.id, (list) => list.length === 2 && list.every((email) => email.status === 'sent'));
    assert.deepEqual(
      emails.map((email: any) => email.kind),
      ['pass_issued', 'pass_revoked'],
    );
    assert.notEqual(requests[0].idempotencyKey, requests[1].idempotencyKey);
  });

  it('sends nothing for a pass whose client has no email, or that has no client', async () => {
    const withoutEmail = await passFor(null);
    const noClient = await acme.api.post('/passes', { type: 'single', name: 'Walk-in' });
    for (const passId of [withoutEmail.id, noClient.body.id]) {
      await events.waitFor((all) => all.some((e) => e.event.type === 'pass.created' && (e.event.data as any).id === passId));
      const eventId = events.ofType('pass.created').find((e) => (e.event.data as any).id === passId)!.event.id;
      await eventually(async () => {
        const { rowCount } = await db.query('SELECT 1 FROM notifications.processed_events WHERE event_id = $1', [eventId]);
        return rowCount === 1 ? true : undefined;
      }, 20_000);
      const response = await acme.api.get(`/passes/${passId}/emails`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, []);
      assert.equal(response.headers.get('x-total-count'), '0');
    }
  });

  it('queues again an email whose job was lost between commit and enqueue (the sweeper)', async () => {
    const walkIn = await acme.api.post('/passes', { type: 'single', name: 'Lost job' });
    const to = newAddress();
    // The state a crash right after the consumer's commit leaves: a queued row, no BullMQ job.
    const { rows } = await db.query(
      `INSERT INTO notifications.emails (tenant_id, pass_id, pass_code, event_id, kind, to_address, subject, html, text, provider, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'pass_issued', $5, 'Your pass: Lost job', '<p>Lost job</p>', 'Lost job', 'resend', now() - interval '1 minute', now() - interval '1 minute')
       RETURNING id`,
      [acme.tenant.id, walkIn.body.id, walkIn.body.code, randomUUID(), to],
    );
    const [request] = accepted(await sentTo(to));
    assert.equal(request.idempotencyKey, rows[0].id);
    const [email] = await emailsOf(walkIn.body.id, (emails) => emails[0]?.status === 'sent');
    assert.equal(email.id, rows[0].id);
  });

  it("answers 404 for another tenant's pass and for an unknown one", async () => {
    const pass = await passFor(newAddress());
    assert.equal((await globex.api.get(`/passes/${pass.id}/emails`)).status, 404);
    assert.equal((await acme.api.get(`/passes/${randomUUID()}/emails`)).status, 404);
    assert.equal((await acme.api.get('/passes/not-a-uuid/emails')).status, 404);
    assert.equal((await acme.api.withKey(undefined).get(`/passes/${pass.id}/emails`)).status, 401);
  });
});
