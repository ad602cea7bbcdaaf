import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { PROTO_PATHS } from '../libs/common/src/rpc/grpc-options';
import { grpcMethodPath, SERVICE_TOKEN_METADATA, ServiceTokens } from '../libs/common/src/rpc/service-token';
import { appEntry } from '../tools/stack';
import { closeGatewayDb, createTenant, TestTenant } from './support/e2e-env';

type Unary = (
  request: { json: string },
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, result?: { json: string }) => void,
) => void;

const SERVICES = {
  PassesService: 'PASSES_GRPC_URL',
  ScansService: 'SCANS_GRPC_URL',
  WebhooksService: 'WEBHOOKS_GRPC_URL',
  NotificationsService: 'NOTIFICATIONS_GRPC_URL',
} as const;
type ServiceName = keyof typeof SERVICES;

/**
 * Calls the shared stack's gRPC ports directly, as a pod inside the cluster could: without the
 * service-token key, nothing gets through.
 */
describe('security: every gRPC call is authenticated', () => {
  const definitions = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO_PATHS, { keepCase: true })) as any;
  const clients = new Map<ServiceName, grpc.Client>();
  const realKey = new ServiceTokens(process.env.SERVICE_TOKEN_KEY!);
  let tenant: TestTenant;
  let pass: any;

  const client = (service: ServiceName) => {
    let found = clients.get(service);
    if (!found) {
      found = new definitions.passway.v1[service](process.env[SERVICES[service]]!, grpc.credentials.createInsecure()) as grpc.Client;
      clients.set(service, found);
    }
    return found;
  };

  function call(
    service: ServiceName,
    method: string,
    command: object,
    token?: string | ((json: string) => string),
  ): Promise<{ code: number; json?: any }> {
    const json = JSON.stringify(command);
    const metadata = new grpc.Metadata();
    const value = typeof token === 'function' ? token(json) : token;
    if (value !== undefined) metadata.set(SERVICE_TOKEN_METADATA, value);
    return new Promise((resolve) => {
      ((client(service) as any)[method] as Unary).call(client(service), { json }, metadata, (error, result) =>
        resolve(error ? { code: error.code } : { code: grpc.status.OK, json: JSON.parse(result!.json) }),
      );
    });
  }

  const signed =
    (service: ServiceName, method: string, tokens = realKey) =>
    (json: string) =>
      tokens.sign(grpcMethodPath(service, method), json);

  beforeAll(async () => {
    tenant = await createTenant({ name: 'gRPC Auth' });
    pass = (await tenant.api.post('/passes', { type: 'single', name: 'Behind the wall' })).body;
  });

  afterAll(async () => {
    for (const c of clients.values()) c.close();
    await closeGatewayDb();
  });

  it('refuses an unsigned call on every service with UNAUTHENTICATED, and answers a signed one', async () => {
    const tenantId = tenant.tenant.id;
    const unsigned: [ServiceName, string][] = [
      ['PassesService', 'ListPasses'],
      ['ScansService', 'ListScans'],
      ['WebhooksService', 'ListWebhooks'],
      ['NotificationsService', 'ListPassEmails'],
    ];
    for (const [service, method] of unsigned) {
      const answer = await call(service, method, { tenantId, id: pass.id, input: {} });
      assert.equal(answer.code, grpc.status.UNAUTHENTICATED, `${service}.${method}`);
    }
    const ok = await call('PassesService', 'ListPasses', { tenantId, input: {} }, signed('PassesService', 'ListPasses'));
    assert.equal(ok.code, grpc.status.OK);
    assert.deepEqual(
      ok.json.items.map((p: any) => p.id),
      [pass.id],
    );
  });

  it('refuses a token made with another key, for another method, for another command, or too old', async () => {
    const tenantId = tenant.tenant.id;
    const command = { tenantId, id: pass.id };
    const otherKey = new ServiceTokens(randomBytes(32).toString('base64url'));
    const attempts: [string, string | ((json: string) => string)][] = [
      ['another key', signed('PassesService', 'RevokePass', otherKey)],
      ['another method', signed('PassesService', 'GetPass')],
      ['another command', () => realKey.sign(grpcMethodPath('PassesService', 'RevokePass'), JSON.stringify({ tenantId, id: 'x' }))],
      ['too old', (json) => realKey.sign(grpcMethodPath('PassesService', 'RevokePass'), json, Date.now() - 5 * 60_000)],
      ['garbage', 'v1.not-a-token'],
    ];
    for (const [label, token] of attempts) {
      assert.equal((await call('PassesService', 'RevokePass', command, token)).code, grpc.status.UNAUTHENTICATED, label);
    }
    assert.equal((await tenant.api.get(`/passes/${pass.id}`)).body.status, 'active', 'nothing was revoked');
  });

  it('refuses a command with an empty or malformed tenant, even when signed', async () => {
    for (const tenantId of ['', 'not-a-tenant']) {
      const byCode = await call(
        'PassesService',
        'GetPassByCode',
        { tenantId, input: { code: pass.code } },
        signed('PassesService', 'GetPassByCode'),
      );
      assert.equal(byCode.code, grpc.status.INVALID_ARGUMENT, `GetPassByCode with tenantId ${JSON.stringify(tenantId)}`);
      const scan = await call('ScansService', 'Scan', { tenantId, input: { code: pass.code } }, signed('ScansService', 'Scan'));
      assert.equal(scan.code, grpc.status.INVALID_ARGUMENT, `Scan with tenantId ${JSON.stringify(tenantId)}`);
    }
    assert.equal((await tenant.api.get(`/passes/${pass.id}`)).body.usagesCount, 0);
    // The public pass page still works: its one tenant-less command is signed by the gateway.
    const page = await tenant.api.get(pass.publicUrl.replace(/^https?:\/\/[^/]+/, ''));
    assert.equal(page.status, 200);
  });

  it('refuses to start in production without a real service-token key', async () => {
    const run = (env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [appEntry('passes')], {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
    const missing = await run({ NODE_ENV: 'production', SERVICE_TOKEN_KEY: '' });
    assert.equal(missing.code, 78);
    assert.match(missing.stderr, /SERVICE_TOKEN_KEY is required/);
    const development = await run({ NODE_ENV: 'production', SERVICE_TOKEN_KEY: 'dev-only-service-token-key-change-me-0123456789' });
    assert.equal(development.code, 78);
    assert.match(development.stderr, /SERVICE_TOKEN_KEY is the development value/);
  });
});
