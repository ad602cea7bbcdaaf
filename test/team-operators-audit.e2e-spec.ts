import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, eventually, gatewayDb, REPO_ROOT } from './support/e2e-env';
import {
  inviteMember,
  linkFromInbox,
  relaxRateLimit,
  SessionClient,
  signUpOwner,
  TEST_PASSWORD,
  uniqueEmail,
} from './support/console-session';

function cli(...args: string[]): any {
  const out = execFileSync(process.execPath, [join(REPO_ROOT, 'dist/apps/gateway/src/cli/main.js'), ...args], {
    env: process.env,
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

/** Teams (invitations, roles, the last owner), platform operators, and the audit log. */
describe('teams, operators and the audit log', () => {
  let owner: SessionClient;
  let ownerSession: any;
  let eventA: string;
  let eventB: string;

  beforeAll(async () => {
    const signedUp = await signUpOwner('team', 'Team Org');
    owner = signedUp.client;
    ownerSession = signedUp.session;
    await relaxRateLimit(ownerSession.organization.id);
    eventA = (await owner.post('/events', { name: 'Event A', startsAt: '2027-06-01T18:00:00Z' })).body.id;
    eventB = (await owner.post('/events', { name: 'Event B', startsAt: '2027-06-02T18:00:00Z' })).body.id;
    assert.ok(eventA && eventB);
  });

  afterAll(() => closeGatewayDb());

  it('invites an event manager by email who then sees only their event, and the invitation works once', async () => {
    const email = uniqueEmail('manager');
    const invited = await owner.post('/invitations', { email, role: 'event_manager', events: [eventA] });
    assert.equal(invited.status, 201, invited.text);
    assert.equal(invited.body.status, 'pending');
    const days = (Date.parse(invited.body.expiresAt) - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, `valid 7 days (${days})`);

    const { token } = await linkFromInbox(email, '/invite');
    const preview = await new SessionClient().get(`/invitations/lookup?token=${token}`);
    assert.equal(preview.status, 200);
    assert.deepEqual(
      { ...preview.body, expiresAt: undefined },
      { organizationName: 'Team Org', email, role: 'event_manager', hasAccount: false, expiresAt: undefined },
    );

    const manager = new SessionClient();
    const accepted = await manager.post('/invitations/accept', { token, name: 'Manny', password: TEST_PASSWORD });
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal(accepted.body.role, 'event_manager');
    assert.deepEqual(accepted.body.eventIds, [eventA]);

    const events = await manager.get('/events');
    assert.deepEqual(
      events.body.map((event: { id: string }) => event.id),
      [eventA],
    );
    assert.equal((await manager.get(`/events/${eventB}`)).status, 404);
    assert.equal((await manager.get('/members')).status, 403);

    const again = await new SessionClient().post('/invitations/accept', { token, name: 'Manny again', password: TEST_PASSWORD });
    assert.equal(again.status, 410);
    assert.equal(again.body.code, 'invitation_used');
    assert.equal((await new SessionClient().get(`/invitations/lookup?token=${token}`)).status, 410);
  });

  it('refuses an expired or withdrawn invitation with 410', async () => {
    const email = uniqueEmail('late');
    const invited = await owner.post('/invitations', { email, role: 'admin' });
    const { token } = await linkFromInbox(email, '/invite');
    const db = await gatewayDb();
    await db.query(`UPDATE gateway.invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [invited.body.id]);
    const expired = await new SessionClient().post('/invitations/accept', { token, name: 'Late', password: TEST_PASSWORD });
    assert.equal(expired.status, 410);
    assert.equal(expired.body.code, 'invitation_expired');

    const email2 = uniqueEmail('withdrawn');
    const second = await owner.post('/invitations', { email: email2, role: 'door_staff' });
    const link2 = await linkFromInbox(email2, '/invite');
    assert.equal((await owner.delete(`/invitations/${second.body.id}`)).status, 200);
    const withdrawn = await new SessionClient().post('/invitations/accept', { token: link2.token, name: 'W', password: TEST_PASSWORD });
    assert.equal(withdrawn.status, 410);
    assert.equal(withdrawn.body.code, 'invitation_revoked');
  });

  it('validates invitations: an event manager needs events; only owners invite owners', async () => {
    const noEvents = await owner.post('/invitations', { email: uniqueEmail('x'), role: 'event_manager' });
    assert.equal(noEvents.status, 400);
    assert.equal(noEvents.body.details[0].field, 'events');
    const { client: admin } = await inviteMember(owner, 'admin');
    const ownerByAdmin = await admin.post('/invitations', { email: uniqueEmail('o'), role: 'owner' });
    assert.equal(ownerByAdmin.status, 403);
    assert.equal(ownerByAdmin.body.code, 'owner_required');
    assert.equal((await admin.post('/invitations', { email: uniqueEmail('d'), role: 'door_staff' })).status, 201);
  });

  it('changes roles and removes members; the last owner can neither be demoted nor leave', async () => {
    const members = (await owner.get('/members')).body as { id: string; role: string; email: string }[];
    const me = members.find((member) => member.role === 'owner')!;
    const demote = await owner.patch(`/members/${me.id}`, { role: 'admin' });
    assert.equal(demote.status, 409);
    assert.equal(demote.body.code, 'last_owner');
    const leave = await owner.delete(`/members/${me.id}`);
    assert.equal(leave.status, 409);
    assert.equal(leave.body.code, 'last_owner');

    const { client: door, memberSession } = await inviteMember(owner, 'door_staff', [eventA]);
    const doorMember = (await owner.get('/members')).body.find((member: { userId: string }) => member.userId === memberSession.user.id);
    assert.equal((await door.get('/passes')).status, 403, 'door staff do not list passes');
    const promoted = await owner.patch(`/members/${doorMember.id}`, { role: 'event_manager', events: [eventB] });
    assert.equal(promoted.status, 200, promoted.text);
    assert.equal((await door.get('/passes')).status, 200, 'the new role applies to the live session at once');
    assert.equal((await owner.delete(`/members/${doorMember.id}`)).status, 200);
    const removed = await door.get('/passes');
    assert.equal(removed.status, 403);
    assert.equal(removed.body.code, 'no_organization');
  });

  it('records who did what in the audit log, filterable by actor, resource and since, paginated', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const created = await owner.post('/passes', { type: 'single', name: 'Audited pass' });
    assert.equal(created.status, 201);
    assert.equal((await owner.post(`/passes/${created.body.id}/revoke`)).status, 200);
    const key = await owner.post('/api-keys', { role: 'scanner', name: 'gate 1' });
    assert.equal(key.status, 201);
    assert.equal((await owner.delete(`/api-keys/${key.body.id}`)).status, 200);

    const expected = ['passes.create', 'passes.revoke', 'api-keys.create', 'api-keys.delete'];
    const log = await eventually(async () => {
      const response = await owner.get(`/audit-log?since=${encodeURIComponent(since)}&limit=100`);
      const actions = response.body.map((entry: { action: string }) => entry.action);
      return expected.every((action) => actions.includes(action)) ? response : undefined;
    });
    const revoke = log.body.find((entry: { action: string }) => entry.action === 'passes.revoke');
    assert.deepEqual(revoke.actor, { type: 'user', id: ownerSession.user.id, label: ownerSession.user.email });
    assert.equal(revoke.resourceId, created.body.id);
    assert.ok(!JSON.stringify(log.body).includes(key.body.apiKey), 'no secret in the audit log');

    const full = await owner.get('/audit-log?limit=100');
    const allActions = full.body.map((entry: { action: string }) => entry.action);
    for (const action of [
      'organization.create',
      'session.sign_in',
      'invitations.create',
      'members.update',
      'members.delete',
      'events.create',
    ]) {
      assert.ok(allActions.includes(action), `${action} in ${allActions}`);
    }

    const byResource = await owner.get('/audit-log?resource=api-keys');
    assert.ok(byResource.body.length >= 2 && byResource.body.every((entry: { resourceType: string }) => entry.resourceType === 'api-keys'));
    const byActor = await owner.get(`/audit-log?actor=${ownerSession.user.id}&limit=2`);
    assert.equal(byActor.body.length, 2);
    assert.ok(Number(byActor.headers.get('x-total-count')) > 2);
    assert.match(byActor.headers.get('link') ?? '', /rel="next"/);
    assert.equal((await owner.get('/audit-log?since=yesterday')).status, 400);
  });

  it('audits API-key actions under the key', async () => {
    const tenant = await createTenant({ name: 'Audited by key' });
    const created = await tenant.api.post('/clients', { name: 'Keyed' });
    assert.equal(created.status, 201);
    const log = await eventually(async () => {
      const response = await tenant.api.get('/audit-log?resource=clients');
      return response.body.length ? response : undefined;
    });
    assert.equal(log.body[0].actor.type, 'api_key');
    assert.equal(log.body[0].action, 'clients.create');
  });

  it('lets a promoted operator list organisations, change the plan, top up tokens, and suspend: keys and sessions then get 403', async () => {
    const operator = await signUpOwner('operator');
    assert.equal((await operator.client.get('/operator/organizations')).status, 403);
    const promoted = cli('users', 'promote', '--email', operator.email);
    assert.equal(promoted.user.isOperator, true);

    const target = await createTenant({ name: 'Suspend Me', tokens: 3 });
    const { client: member } = await (async () => {
      const signed = await signUpOwner('suspended-owner');
      return signed;
    })();
    const memberOrg = (await member.get('/auth/session')).body.organization.id;

    const list = await operator.client.get('/operator/organizations?search=Suspend Me');
    assert.equal(list.status, 200, list.text);
    assert.ok(list.body.some((organization: { id: string }) => organization.id === target.tenant.id));

    const topped = await operator.client.post(`/operator/organizations/${target.tenant.id}/topup`, { tokens: 10 });
    assert.equal(topped.status, 200, topped.text);
    assert.equal(topped.body.tokenBalance, 13);
    const ledger = await target.api.get('/organization/tokens');
    assert.equal(ledger.body[0].reason, 'top_up');
    assert.equal(ledger.body[0].delta, 10);

    const plan = await operator.client.patch(`/operator/organizations/${target.tenant.id}`, { plan: 'basic' });
    assert.equal(plan.body.plan, 'basic');
    assert.equal((await target.api.get('/passes')).body.code, 'plan_required');
    await operator.client.patch(`/operator/organizations/${target.tenant.id}`, { plan: 'pro' });
    assert.equal((await target.api.get('/passes')).status, 200);

    for (const id of [target.tenant.id, memberOrg]) {
      const suspended = await operator.client.post(`/operator/organizations/${id}/suspend`);
      assert.equal(suspended.status, 200, suspended.text);
      assert.equal(suspended.body.suspended, true, suspended.text);
    }
    const byKey = await target.api.get('/passes');
    assert.equal(byKey.status, 403);
    assert.deepEqual(byKey.body, { error: 'This organisation is suspended; contact Passway support', code: 'organization_suspended' });
    const bySession = await member.get('/passes');
    assert.equal(bySession.status, 403);
    assert.equal(bySession.body.code, 'organization_suspended');
    assert.equal((await member.get('/auth/session')).body.organization.suspended, true, 'the console can still say why');

    assert.equal((await operator.client.post(`/operator/organizations/${target.tenant.id}/resume`)).status, 200);
    assert.equal((await target.api.get('/passes')).status, 200);
    const audit = await target.api.get('/audit-log?actor=operator');
    assert.deepEqual(
      audit.body.map((entry: { action: string }) => entry.action),
      ['organization.resume', 'organization.suspend', 'organization.change_plan', 'organization.change_plan', 'organization.top_up'],
    );
    assert.equal((await operator.client.post('/operator/organizations/00000000-0000-4000-8000-000000000000/suspend')).status, 404);
    assert.equal((await target.api.get('/operator/organizations')).status, 403, 'not with an API key');
  });
});
