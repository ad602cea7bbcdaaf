import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import type { StartedTestContainer } from 'testcontainers';
import { APP_NAMES, APP_NODE_FLAGS, AppName, freePorts, stackEnv } from '../tools/stack';
import { ApiClient } from './support/api-client';
import { projectScript } from './support/project-scripts';
import { isolatedEnv } from './support/e2e-env';
import { verifySignature, WebhookReceiver } from './support/webhook-receiver';

// The five apps from the project's Dockerfile, in containers, against this run's servers:
// a tenant made with the CLI inside the gateway's container, then a pass created, scanned,
// and its pass.scanned webhook received, all through the containerised gateway.
const inContainers = process.env.PASSWAY_INFRA === 'containers';
const MAX_IMAGE_BYTES = 250 * 1000 * 1000;

function dockerInspect(kind: 'image' | 'container', ref: string): any {
  const result = spawnSync('docker', [kind, 'inspect', ref], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout)[0];
}

/** The settings the apps read (never the test runner's own environment). */
const APP_SETTINGS =
  /^(NODE_ENV|LOG_LEVEL|DATABASE_URL|REDIS_URL|KAFKA_\w+|PORT|PUBLIC_BASE_URL|PASS_LINK_SECRET|\w+_GRPC_URL|\w+_HTTP_PORT|WEBHOOK_\w+|EMAIL_\w+|RESEND_\w+|SHUTDOWN_GRACE_MS)$/;

// Skipped (Jest reports it) when the servers are not containers (PASSWAY_INFRA=local).
(inContainers ? describe : describe.skip)('the app image', () => {
  const { buildAppImage, APP_TEST_TAG } = projectScript('images');
  const { ownContainer, removeContainer } = projectScript('containers');
  const apps = new Map<AppName, StartedTestContainer>();
  const receiver = new WebhookReceiver();
  let tag: string;
  let gateway: ApiClient;

  beforeAll(async () => {
    // Built while `npm test` compiled (prepareInfra); this finds it in Docker's cache.
    ({ tag } = await buildAppImage({ log: (line: string) => process.stderr.write(`${line}\n`), tag: APP_TEST_TAG }));
    const { GenericContainer, Wait } = await import('testcontainers');
    const ports = await freePorts();
    const all = stackEnv(ports, { ...process.env, ...(await isolatedEnv('image')) });
    const env: Record<string, string> = Object.fromEntries(
      Object.entries(all).filter(([key, value]) => APP_SETTINGS.test(key) && value !== undefined),
    ) as Record<string, string>;
    // Real secrets; NODE_ENV=test because production also demands Kafka over TLS with SASL, which
    // the test broker does not offer.
    Object.assign(env, {
      NODE_ENV: 'test',
      PASS_LINK_SECRET: randomBytes(24).toString('hex'),
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
      SERVICE_TOKEN_KEY: randomBytes(32).toString('hex'),
      EMAIL_PROVIDER: 'log',
    });
    const httpPort: Record<AppName, number> = {
      gateway: ports.gateway,
      passes: ports.passesHttp,
      scans: ports.scansHttp,
      webhooks: ports.webhooksHttp,
      notifications: ports.notificationsHttp,
    };
    // Host networking: the apps reach the servers' mapped ports and each other on loopback.
    await Promise.all(
      APP_NAMES.map(async (app) => {
        const container = await new GenericContainer(tag)
          .withNetworkMode('host')
          .withEnvironment({ ...env, APP_HTTP_PORT: String(httpPort[app]) })
          .withCommand([`dist/apps/${app}/src/main.js`])
          .withLabels({ 'passway.owner': String(process.pid) })
          .withWaitStrategy(Wait.forHealthCheck()) // the image's own HEALTHCHECK
          .withStartupTimeout(180_000)
          .start();
        apps.set(app, ownContainer(container));
      }),
    );
    gateway = new ApiClient(`http://127.0.0.1:${ports.gateway}`);
    await receiver.start();
  }, 900_000); // a cold machine builds the image first

  afterAll(async () => {
    await Promise.all([...apps.values()].map((container) => removeContainer(container)));
    await receiver.stop();
  });

  it('is under 250 MB, runs as a non-root user and has a HEALTHCHECK', () => {
    const image = dockerInspect('image', tag);
    assert.ok(image.Size < MAX_IMAGE_BYTES, `${(image.Size / 1e6).toFixed(0)} MB`);
    assert.equal(image.Config.User, '1000:1000');
    assert.equal(image.Config.Healthcheck.Test[0], 'CMD');
    // The apps run with the same V8 flags in the image as under `npm start`.
    const nodeOptions = ((image.Config.Env as string[]).find((entry) => entry.startsWith('NODE_OPTIONS=')) ?? '')
      .slice('NODE_OPTIONS='.length)
      .split(' ');
    for (const flag of APP_NODE_FLAGS) assert.ok(nodeOptions.includes(flag), `NODE_OPTIONS ${nodeOptions.join(' ')} lacks ${flag}`);
    for (const container of apps.values()) assert.equal(dockerInspect('container', container.getId()).State.Health.Status, 'healthy');
  });

  it('creates a tenant with the CLI in the container, then creates, scans and hears the webhook through the gateway', async () => {
    const cli = await apps
      .get('gateway')!
      .exec(['node', 'dist/apps/gateway/src/cli/main.js', 'tenants', 'create', '--name', `Image Smoke ${Date.now()}`]);
    assert.equal(cli.exitCode, 0, cli.stderr);
    const { apiKey } = JSON.parse(cli.stdout);
    assert.match(apiKey, /^pwk_/);
    const api = gateway.withKey(apiKey);

    const hook = await api.post('/webhooks', { event: 'pass.scanned', targetUrl: receiver.url('/image-smoke') });
    assert.equal(hook.status, 201, hook.text);
    const pass = await api.post('/passes', {
      type: 'single',
      name: 'Smoke',
      clientName: 'Ada Lovelace',
      validUntil: '2030-01-01T00:00:00Z',
    });
    assert.equal(pass.status, 201, pass.text);
    const scan = await api.post('/scan', { code: pass.body.code });
    assert.equal(scan.status, 200, scan.text);
    assert.equal(scan.body.result, 'success');

    const [delivery] = await receiver
      .waitFor((received) => received.some((r) => r.path === '/image-smoke'), 60_000)
      .then((received) => received.filter((r) => r.path === '/image-smoke'));
    assert.equal(delivery.json.type, 'pass.scanned');
    assert.equal(delivery.json.data.passId, pass.body.id);
    assert.ok(verifySignature(hook.body.secret, delivery));
  });

  it('stops on SIGTERM with exit code 0 (a clean shutdown, not a kill at the deadline)', () => {
    for (const app of ['gateway', 'passes'] as const) {
      const container = apps.get(app)!;
      const stopped = spawnSync('docker', ['stop', '--time', '30', container.getId()], { encoding: 'utf8' });
      assert.equal(stopped.status, 0, stopped.stderr);
      const state = dockerInspect('container', container.getId()).State;
      assert.equal(state.ExitCode, 0, `${app} exited with ${state.ExitCode}`);
      assert.equal(state.OOMKilled, false);
    }
  });
});
