import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { decideAccess } from './access-policy';
import { Principal } from './principal';

const principal = (role: Principal['role'], plan: Principal['tenant']['plan'] = 'pro'): Principal => ({
  keyId: 'k',
  rateKey: 'k',
  actor: { type: 'api_key', id: 'k', label: 'key' },
  role,
  eventIds: null,
  tenant: { id: 't', name: 'T', slug: 't', plan, rateLimitPerMinute: null, suspended: false },
});

describe('decideAccess', () => {
  it('refuses non-pro plans first, whatever the role', () => {
    const decision = decideAccess(principal('admin', 'basic'), { roles: ['admin'], rateGroup: 'manage' }, 'GET /x');
    assert.deepEqual(decision, { allowed: false, rateGroup: 'manage', error: 'API access requires the Pro plan', code: 'plan_required' });
  });

  it('checks the role against the route metadata and keeps its rate group', () => {
    assert.deepEqual(decideAccess(principal('staff'), { roles: ['admin', 'staff'], rateGroup: 'integrations' }, 'GET /x'), {
      allowed: true,
      rateGroup: 'integrations',
    });
    const refused = decideAccess(principal('scanner'), { roles: ['admin', 'staff'], rateGroup: 'manage' }, 'GET /api/v1/passes');
    assert.equal(refused.allowed, false);
    assert.match((refused as { error: string }).error, /scanner key may not call GET \/api\/v1\/passes \(allowed: admin, staff\)/);
  });

  it('refuses event-scoped keys on tenant-wide routes (clients, webhooks, triggers), whatever their role', () => {
    const scoped: Principal = { ...principal('admin'), eventIds: ['e1'] };
    const decision = decideAccess(scoped, { roles: ['admin'], rateGroup: 'integrations', tenantWide: true }, 'POST /api/v1/webhooks');
    assert.deepEqual(decision, {
      allowed: false,
      rateGroup: 'integrations',
      error: 'An event-scoped key may not call POST /api/v1/webhooks: it spans every event of the tenant',
      code: 'event_scoped_key',
    });
    assert.equal(
      decideAccess(principal('admin'), { roles: ['admin'], rateGroup: 'integrations', tenantWide: true }, 'POST /x').allowed,
      true,
    );
    assert.equal(decideAccess(scoped, { roles: ['admin'], rateGroup: 'manage' }, 'GET /api/v1/passes').allowed, true);
  });

  it('refuses a suspended organisation before anything else, for keys and members alike', () => {
    const suspended = principal('admin');
    suspended.tenant.suspended = true;
    assert.deepEqual(decideAccess(suspended, { roles: ['admin'], rateGroup: 'manage' }, 'GET /x'), {
      allowed: false,
      rateGroup: 'manage',
      error: 'This organisation is suspended; contact Passway support',
      code: 'organization_suspended',
    });
  });

  it('names a member by their team role when refusing', () => {
    const member = {
      ...principal('scanner'),
      keyId: null,
      member: { userId: 'u', email: 'e@x', name: 'E', role: 'door_staff' as const, sessionId: 's' },
    };
    const refused = decideAccess(member, { roles: ['admin'], rateGroup: 'manage' }, 'GET /api/v1/team');
    assert.match((refused as { error: string }).error, /door_staff member may not call GET \/api\/v1\/team/);
  });

  it('fails closed on a route without @Access metadata: admins only', () => {
    assert.equal(decideAccess(principal('admin'), undefined, 'GET /y').allowed, true);
    assert.equal(decideAccess(principal('staff'), undefined, 'GET /y').allowed, false);
    assert.equal(decideAccess(principal('scanner'), undefined, 'GET /y').allowed, false);
  });
});
