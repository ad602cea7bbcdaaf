import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { GatewayAppModule } from '../apps/gateway/src/app.module';
import { Role } from '../apps/gateway/src/api-keys/entities/api-key.entity';
import { listRoutes, RouteInfo } from '../apps/gateway/src/openapi/route-inventory';
import { ApiClient } from './support/api-client';
import { anonymousApi, closeGatewayDb, createTenant, issueKey, TestTenant } from './support/e2e-env';
import { createTenantWithDefaultLimits } from './support/policies';
import { inviteMember, relaxRateLimit, SessionClient, signUpOwner } from './support/console-session';
import { isEventScopedRole, KEY_ROLE_OF_MEMBER, MemberRole } from '../apps/gateway/src/team/member-roles';

const ROLES: Role[] = ['admin', 'staff', 'scanner'];
/** Every route that acts in an organisation with a role (not the public, session-only or operator routes). */
const API_ROUTES = listRoutes(GatewayAppModule).filter(
  (route) => route.path.startsWith('/api/v1') && !route.isPublic && !route.sessionOnly && !route.operatorOnly,
);
const MEMBER_ROLES: MemberRole[] = ['owner', 'admin', 'event_manager', 'door_staff'];

/** Who may call what (docs/gateway-policies.md). */
function rolesTheIssueAllows(route: RouteInfo): Role[] {
  const rel = route.path.slice('/api/v1'.length);
  if (['/api-keys', '/webhooks', '/members', '/invitations', '/audit-log'].some((prefix) => rel.startsWith(prefix))) return ['admin'];
  // Renaming the organisation is an admin's; reading it is every manager's.
  if (route.method === 'PATCH' && rel === '/organization') return ['admin'];
  // The scanner routes, the manual check-in search for door staff without a camera,
  // the door app's offline copy and its own device profile, and undoing the door's own last admission.
  const scannerRoutes = [
    'POST /scan',
    'POST /validate',
    'POST /scans/batch',
    'POST /scans/:scanId/undo',
    'GET /passes/:passId',
    'GET /events/:eventId/attendees',
    'GET /events/:eventId/admissions',
    'GET /devices/me',
  ];
  if (scannerRoutes.includes(`${route.method} ${rel}`)) return ['admin', 'staff', 'scanner'];
  return ['admin', 'staff'];
}

function concretePath(path: string): string {
  return path.replace(/:\w+/g, '00000000-0000-4000-8000-000000000000');
}

describe('plans, roles and API keys through the gateway', () => {
  let pro: TestTenant;
  const keys = {} as Record<Role, ApiClient>;

  beforeAll(async () => {
    pro = await createTenant({ name: 'Access Pro' });
    keys.admin = pro.api;
    keys.staff = (await issueKey(pro.tenant.id, 'staff')).api;
    keys.scanner = (await issueKey(pro.tenant.id, 'scanner')).api;
  });

  afterAll(() => closeGatewayDb());

  describe('the same rules for people signed in to the console', () => {
    const members = {} as Record<MemberRole, SessionClient>;

    beforeAll(async () => {
      const owner = await signUpOwner('matrix');
      await relaxRateLimit(owner.session.organization.id);
      members.owner = owner.client;
      const event = await owner.client.post('/events', {
        name: 'Matrix Night',
        startsAt: '2027-05-01T18:00:00Z',
        endsAt: '2027-05-01T23:00:00Z',
      });
      assert.equal(event.status, 201, event.text);
      for (const role of ['admin', 'event_manager', 'door_staff'] as const) {
        members[role] = (await inviteMember(owner.client, role, role === 'admin' ? undefined : [event.body.id])).client;
      }
    });

    it('refuses every route to the team roles whose key role it does not allow', async () => {
      for (const route of API_ROUTES) {
        for (const role of MEMBER_ROLES.filter((r) => !route.access!.roles.includes(KEY_ROLE_OF_MEMBER[r]))) {
          const response = await members[role].request(
            route.method,
            concretePath(route.path),
            route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} },
          );
          assert.equal(response.status, 403, `${role} ${route.method} ${route.path}: ${response.text}`);
          assert.equal(response.body.code, 'role_forbidden');
          assert.match(response.body.error, new RegExp(`${role} member may not call ${route.method}`));
        }
      }
    });

    it('lets each allowed team role through to every GET route', async () => {
      for (const route of API_ROUTES.filter((r) => r.method === 'GET')) {
        // Event-scoped members are refused routes spanning every event (event_scoped_key), as scoped keys are.
        const allowed = MEMBER_ROLES.filter(
          (r) => route.access!.roles.includes(KEY_ROLE_OF_MEMBER[r]) && !(route.access!.tenantWide && isEventScopedRole(r)),
        );
        for (const role of allowed) {
          const response = await members[role].request('GET', concretePath(route.path));
          assert.notEqual(response.status, 403, `${role} ${route.method} ${route.path}: ${response.text}`);
          assert.notEqual(response.status, 401);
        }
      }
    });
  });

  it('declares @Access on every API route, with the roles the issue gives each route group', () => {
    assert.ok(API_ROUTES.length >= 20, `found ${API_ROUTES.length} routes`);
    for (const route of API_ROUTES) {
      const name = `${route.method} ${route.path}`;
      assert.ok(route.access, `${name} has no @Access metadata`);
      assert.deepEqual([...route.access.roles].sort(), rolesTheIssueAllows(route).sort(), name);
      const expectedGroup = /^\/api\/v1\/(webhooks|triggers)/.test(route.path) ? 'integrations' : 'manage';
      assert.equal(route.access.rateGroup, expectedGroup, name);
    }
  });

  it('refuses every route to the roles it does not allow, with the reason, before doing anything', async () => {
    for (const route of API_ROUTES) {
      for (const role of ROLES.filter((r) => !route.access!.roles.includes(r))) {
        const response = await keys[role].request(
          route.method,
          concretePath(route.path),
          route.method === 'GET' || route.method === 'DELETE' ? {} : { body: {} },
        );
        assert.equal(response.status, 403, `${role} ${route.method} ${route.path}: ${response.text}`);
        assert.equal(response.body.code, 'role_forbidden');
        assert.match(response.body.error, new RegExp(`${role} key may not call ${route.method}`));
      }
    }
  });

  it('lets each allowed role through to the route (anything but a role refusal)', async () => {
    for (const route of API_ROUTES.filter((r) => r.method === 'GET')) {
      for (const role of route.access!.roles) {
        const response = await keys[role].request('GET', concretePath(route.path));
        assert.notEqual(response.status, 403, `${role} ${route.method} ${route.path}: ${response.text}`);
        assert.notEqual(response.status, 401);
      }
    }
  });

  it('scanner keys read a pass; staff keys manage passes and clients; only admins manage keys', async () => {
    const pass = await keys.staff.post('/passes', { type: 'single', name: 'Staff made' });
    assert.equal(pass.status, 201);
    assert.equal((await keys.scanner.get(`/passes/${pass.body.id}`)).status, 200);
    assert.equal((await keys.scanner.get('/passes')).status, 403);
    assert.equal((await keys.scanner.post('/passes', { type: 'single' })).status, 403);
    assert.equal((await keys.staff.post('/clients', { name: 'By staff' })).status, 201);
    assert.equal((await keys.staff.get('/api/v1/api-keys')).status, 403);
    assert.equal((await keys.admin.get('/api/v1/api-keys')).status, 200);
  });

  for (const plan of ['free', 'basic'] as const) {
    it(`answers every API route of a ${plan} tenant with 403 "API access requires the Pro plan"`, async () => {
      const tenant = await createTenant({ name: `Access ${plan}`, plan });
      for (const path of ['/passes', '/clients', '/organization', '/api/v1/api-keys'] as const) {
        const response = await tenant.api.get(path);
        assert.equal(response.status, 403, path);
        assert.deepEqual(response.body, { error: 'API access requires the Pro plan', code: 'plan_required' });
      }
      const create = await tenant.api.post('/passes', { type: 'single' });
      assert.equal(create.status, 403);
      assert.equal(create.body.error, 'API access requires the Pro plan');
    });
  }

  it('a pro tenant may use the API', async () => {
    assert.equal((await pro.api.get('/passes')).status, 200);
  });

  it('answers 401 without a key or with an unknown one', async () => {
    const missing = await anonymousApi().get('/api/v1/passes');
    assert.equal(missing.status, 401);
    assert.equal(missing.body.code, 'missing_api_key');
    const wrong = await anonymousApi()
      .withKey(`pwk_${'A'.repeat(43)}`)
      .get('/api/v1/passes');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'Invalid API key');
  });

  it('GET /organization shows plan, token balance and usage, and limits', async () => {
    const tenant = await createTenant({ name: 'Org Shown', tokens: 5, rateLimitPerMinute: 90 });
    await tenant.api.post('/passes', { type: 'single' });
    const response = await tenant.api.get('/organization');
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, {
      id: tenant.tenant.id,
      name: 'Org Shown',
      slug: tenant.tenant.slug,
      plan: 'pro',
      tokenBalance: 4,
      tokensUsed: 1,
      limits: {
        rateLimits: { manage: { limit: 90, windowSeconds: 60 }, integrations: { limit: 30, windowSeconds: 60 } },
        webhookQuota: 25,
      },
      createdAt: tenant.tenant.createdAt,
    });
    const unlimited = await createTenantWithDefaultLimits('Org Unlimited');
    const body = (await unlimited.api.get('/organization')).body;
    assert.equal(body.tokenBalance, null);
    assert.deepEqual(body.limits.rateLimits, { manage: { limit: 30, windowSeconds: 60 }, integrations: { limit: 10, windowSeconds: 60 } });
  });

  it('manages API keys: create shows the key once with its role, list never shows keys, revoke is 401 at once', async () => {
    const created = await keys.admin.post('/api/v1/api-keys', { role: 'staff', name: 'till 2' });
    assert.equal(created.status, 201);
    assert.match(created.body.apiKey, /^pwk_[\w-]{43}$/);
    assert.equal(created.body.role, 'staff');
    assert.equal(created.body.name, 'till 2');
    assert.equal(created.body.revokedAt, null);
    assert.ok(!('tenantId' in created.body));

    const newKey = keys.admin.withKey(created.body.apiKey);
    assert.equal((await newKey.get('/passes')).status, 200, 'the new key works (and is now cached by the gateway)');

    const list = await keys.admin.get('/api/v1/api-keys');
    assert.equal(list.status, 200);
    const listed = list.body.find((k: any) => k.id === created.body.id);
    assert.ok(listed);
    assert.ok(!('apiKey' in listed) && !JSON.stringify(list.body).includes(created.body.apiKey), 'the key itself is never listed');
    assert.equal(listed.prefix, created.body.apiKey.slice(0, 10));

    const revoked = await keys.admin.delete(`/api/v1/api-keys/${created.body.id}`);
    assert.equal(revoked.status, 200);
    assert.deepEqual(revoked.body, { success: true });
    const after = await newKey.get('/passes');
    assert.equal(after.status, 401, 'a revoked key is refused right away, cache or not');
    assert.equal((await keys.admin.get('/api/v1/api-keys')).body.find((k: any) => k.id === created.body.id).revokedAt !== null, true);
  });

  it('refuses bad key requests with 400 and keys of other tenants with 404', async () => {
    assert.equal((await keys.admin.post('/api/v1/api-keys', { role: 'root' })).status, 400);
    assert.equal((await keys.admin.post('/api/v1/api-keys', { role: 'staff', extra: 1 })).status, 400);
    const other = await createTenant({ name: 'Access Other' });
    const foreign = await other.api.post('/api/v1/api-keys', { role: 'scanner' });
    assert.equal((await keys.admin.delete(`/api/v1/api-keys/${foreign.body.id}`)).status, 404);
    assert.equal((await keys.admin.delete('/api-keys/not-a-uuid')).status, 404);
    assert.equal((await other.api.withKey(foreign.body.apiKey).get(`/passes/00000000-0000-4000-8000-000000000000`)).status, 404);
  });
});
