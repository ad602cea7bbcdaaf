import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { describeWrite } from './audit.interceptor';

describe('describeWrite', () => {
  it('names creates, updates, deletes and actions after the route', () => {
    assert.deepEqual(describeWrite('POST', '/api/v1/passes', {}, { id: 'p1' }), {
      action: 'passes.create',
      resourceType: 'passes',
      resourceId: 'p1',
    });
    assert.deepEqual(describeWrite('PATCH', '/api/v1/events/:eventId', { eventId: 'e1' }, {}), {
      action: 'events.update',
      resourceType: 'events',
      resourceId: 'e1',
    });
    assert.deepEqual(describeWrite('POST', '/api/v1/passes/:passId/revoke', { passId: 'p2' }, {}), {
      action: 'passes.revoke',
      resourceType: 'passes',
      resourceId: 'p2',
    });
    assert.deepEqual(describeWrite('DELETE', '/api/v1/api-keys/:keyId', { keyId: 'k1' }, { success: true }), {
      action: 'api-keys.delete',
      resourceType: 'api-keys',
      resourceId: 'k1',
    });
    assert.deepEqual(describeWrite('POST', '/api/v1/webhooks/:id/deliveries/:deliveryId/retry', { id: 'w1', deliveryId: 'd1' }, {}), {
      action: 'webhooks.retry',
      resourceType: 'webhooks',
      resourceId: 'w1',
    });
  });

  it('leaves out reads and door redemptions', () => {
    assert.equal(describeWrite('GET', '/api/v1/passes', {}, []), null);
    assert.equal(describeWrite('POST', '/api/v1/scan', {}, {}), null);
    assert.equal(describeWrite('POST', '/api/v1/scans/batch', {}, {}), null);
  });
});
