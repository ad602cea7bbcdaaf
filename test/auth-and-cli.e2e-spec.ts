import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it, afterAll } from '@jest/globals';
import { promisify } from 'node:util';
import { ApiClient } from './support/api-client';
import { closeGatewayDb, eventually, REPO_ROOT, sharedGatewayUrl } from './support/e2e-env';

const run = promisify(execFile);
const cliOutput = (...args: string[]) =>
  run(process.execPath, [join(REPO_ROOT, 'dist/apps/gateway/src/cli/main.js'), ...args], { env: process.env });
const cli = async (...args: string[]) => JSON.parse((await cliOutput(...args)).stdout);

describe('tenants, API keys and authentication', () => {
  afterAll(closeGatewayDb);

  it('creates a tenant from the CLI with the documented JSON and a working admin key', async () => {
    const out = await cli('tenants', 'create', '--name', 'Cli Corp', '--plan', 'pro', '--tokens', '50', '--rate-limit', '600');
    assert.equal(out.tenant.name, 'Cli Corp');
    assert.match(out.tenant.slug, /^cli-corp(-[0-9a-f]{6})?$/);
    assert.equal(out.tenant.plan, 'pro');
    assert.equal(out.tenant.tokenBalance, 50);
    assert.equal(out.tenant.rateLimitPerMinute, 600);
    assert.match(out.apiKey, /^pwk_[A-Za-z0-9_-]{43}$/);
    const api = new ApiClient(sharedGatewayUrl(), out.apiKey);
    assert.equal((await api.get('/passes')).status, 200);

    const defaults = await cli('tenants', 'create', '--name', 'Defaults Inc');
    assert.equal(defaults.tenant.plan, 'pro');
    assert.equal(defaults.tenant.tokenBalance, null, 'unlimited tokens by default');
  });

  it('creates a second tenant with a taken name under a slug of its own, and says nothing on stderr about the conflict it handled', async () => {
    const name = `Twice Named ${Date.now()}`;
    const first = await cliOutput('tenants', 'create', '--name', name);
    const second = await cliOutput('tenants', 'create', '--name', name);
    const [a, b] = [JSON.parse(first.stdout).tenant, JSON.parse(second.stdout).tenant];
    assert.equal(b.name, name);
    assert.notEqual(b.slug, a.slug);
    assert.ok(b.slug.startsWith(a.slug), `${b.slug} extends ${a.slug}`);
    assert.equal(first.stderr, '');
    assert.equal(second.stderr, '', 'no "query failed … duplicate key" for a conflict the code handles');
  });

  it('issues keys with roles and revokes them so the gateway refuses them at once', async () => {
    const { tenant } = await cli('tenants', 'create', '--name', 'Key Ring');
    const staff = await cli('keys', 'create', '--tenant', tenant.id, '--role', 'staff');
    assert.equal(staff.role, 'staff');
    assert.match(staff.apiKey, /^pwk_/);
    const api = new ApiClient(sharedGatewayUrl(), staff.apiKey);
    assert.equal((await api.get('/clients')).status, 200, 'the key works and is now cached');
    const revoked = await cli('keys', 'revoke', '--key', staff.id);
    assert.ok(revoked.key.revokedAt);
    await eventually(async () => ((await api.get('/clients')).status === 401 ? true : undefined), 3_000);
    const listed = await cli('keys', 'list', '--tenant', tenant.id);
    assert.equal(listed.keys.length, 2);
    assert.ok(
      listed.keys.every((k: any) => !('apiKey' in k) && !('keyHash' in k)),
      'lists never show a key',
    );
  });

  it('refuses bad CLI input with a message and a non-zero exit', async () => {
    await assert.rejects(cli('tenants', 'create'), (error: any) => /--name is required/.test(error.stderr) && error.code === 2);
    await assert.rejects(cli('tenants', 'create', '--name', 'X', '--plan', 'gold'), (error: any) =>
      /plan must be one of/.test(error.stderr),
    );
    await assert.rejects(cli('keys', 'create', '--tenant', '00000000-0000-0000-0000-000000000000'), (error: any) =>
      /Tenant not found/.test(error.stderr),
    );
    await assert.rejects(cli('keys', 'create', '--tenant', 'x', '--role', 'root'), (error: any) =>
      /role must be one of/.test(error.stderr),
    );
  });

  it('answers 401 with a JSON error for a missing, malformed or unknown key', async () => {
    const anonymous = new ApiClient(sharedGatewayUrl());
    const missing = await anonymous.get('/passes');
    assert.equal(missing.status, 401);
    assert.equal(missing.body.code, 'missing_api_key');
    for (const header of ['Bearer', 'Basic abc', 'Bearer pwk_short', `Bearer pwk_${'A'.repeat(43)}`]) {
      const response = await anonymous.get('/passes', { headers: { authorization: header } });
      assert.equal(response.status, 401, header);
      assert.equal(typeof response.body.error, 'string');
    }
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await new ApiClient(sharedGatewayUrl()).request('GET', '/api/v1/nothing-here');
    assert.equal(response.status, 404);
    assert.equal(typeof response.body.error, 'string');
  });
});
