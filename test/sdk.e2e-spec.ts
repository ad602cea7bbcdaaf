import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import { createPasswayClient } from '@passway/sdk';
import { anonymousApi, createTenant, REPO_ROOT, sharedGatewayUrl } from './support/e2e-env';

describe('typed SDK (libs/sdk)', () => {
  it('is generated from the very document the gateway serves', async () => {
    const generated = JSON.parse(readFileSync(join(REPO_ROOT, 'libs/sdk/openapi.json'), 'utf8'));
    const served = (await anonymousApi().request('GET', '/docs/openapi.json')).body;
    assert.deepEqual(generated, served);
  });

  it('issues, reads and lists a pass with typed bodies, and types the error of a missing one', async () => {
    const { apiKey } = await createTenant();
    const client = createPasswayClient({ baseUrl: sharedGatewayUrl(), apiKey });

    const created = await client.POST('/api/v1/passes', { body: { type: 'single', name: 'SDK guest', clientName: 'Ada SDK' } });
    assert.equal(created.response.status, 201);
    assert.ok(created.data);
    assert.equal(created.data.name, 'SDK guest');

    const read = await client.GET('/api/v1/passes/{passId}', { params: { path: { passId: created.data.id } } });
    assert.equal(read.data?.code, created.data.code);
    assert.equal(read.data?.client?.name, 'Ada SDK');

    const list = await client.GET('/api/v1/passes', { params: { query: { search: 'SDK guest' } } });
    assert.deepEqual(
      list.data?.map((pass) => pass.id),
      [created.data.id],
    );

    const missing = await client.GET('/api/v1/passes/{passId}', { params: { path: { passId: '00000000-0000-4000-8000-000000000000' } } });
    assert.equal(missing.response.status, 404);
    assert.equal(missing.data, undefined);
    assert.match(missing.error?.error ?? '', /not found/i);
  });
});
