import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { ApiClient } from './support/api-client';
import { sharedGatewayUrl } from './support/e2e-env';

// A service that is down: test/services-down.e2e-spec.ts.

describe('health', () => {
  it('GET /health is 200 when the gateway and every service are ready', async () => {
    const response = await new ApiClient(sharedGatewayUrl()).get('/health');
    assert.equal(response.status, 200);
    assert.equal(response.body.status, 'ok');
    assert.deepEqual(response.body.services, { passes: 'SERVING', scans: 'SERVING', webhooks: 'SERVING', notifications: 'SERVING' });
    assert.equal((await new ApiClient(sharedGatewayUrl()).get('/health/live')).status, 200);
  });
});
