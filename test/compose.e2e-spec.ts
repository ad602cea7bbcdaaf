import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { freePorts, REPO_ROOT, stackEnv } from '../tools/stack';
import { ApiClient } from './support/api-client';
import { projectScript } from './support/project-scripts';
import { verifySignature, WebhookReceiver } from './support/webhook-receiver';

// `docker compose up` (or Debian's docker-compose) brings up the whole stack of
// docker-compose.yml with its healthchecks; then the README's walk-through runs against it.
const inContainers = process.env.PASSWAY_INFRA === 'containers';

// Skipped (Jest reports it) when the servers are not containers (PASSWAY_INFRA=local).
(inContainers ? describe : describe.skip)('docker-compose.yml', () => {
  const { composeProject, imageEnv } = projectScript('compose');
  const { APP_TEST_TAG } = projectScript('images');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let project: any;
  let gateway: ApiClient;
  const receiver = new WebhookReceiver();
  const removeOnExit = () => project?.down();

  beforeAll(async () => {
    const images = await imageEnv({ log, env: process.env, withApp: true, appTag: APP_TEST_TAG });
    const ports = await freePorts();
    const env = {
      ...process.env,
      ...images.env,
      PASSWAY_GATEWAY_PORT: String(ports.gateway),
      PASSWAY_KAFKA_PORT: String(ports.passesHttp),
      PASSWAY_POSTGRES_PORT: String(ports.scansHttp),
      PASSWAY_REDIS_PORT: String(ports.webhooksHttp),
      PASSWAY_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    };
    project = composeProject({ name: `passway-e2e-${process.pid}`, env, log });
    process.once('exit', removeOnExit);
    project.run(['up', '-d', '--no-build']);
    await project.waitHealthy(['postgres', 'redis', 'kafka', 'passes', 'scans', 'webhooks', 'notifications', 'gateway']);
    gateway = new ApiClient(`http://127.0.0.1:${ports.gateway}`);
    // The webhooks container reaches this machine at its network's gateway address.
    const network = JSON.parse(spawnSync('docker', ['network', 'inspect', `${project.name}_default`], { encoding: 'utf8' }).stdout)[0];
    await receiver.start(network.IPAM.Config[0].Gateway);
  }, 900_000); // a cold machine builds the image first

  afterAll(async () => {
    await receiver.stop();
    project?.down();
    process.removeListener('exit', removeOnExit);
  });

  it('runs the migrations once and brings every service up healthy', () => {
    const migrate = spawnSync(
      'docker',
      ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', project.run(['ps', '-q', 'migrate']).stdout.trim()],
      { encoding: 'utf8' },
    );
    assert.equal(migrate.stdout.trim(), 'exited 0');
  });

  it("follows the README's walk-through", async () => {
    // 1. A tenant and its first admin key, with the CLI in the gateway's container
    const cli = project.run([
      'exec',
      '-T',
      'gateway',
      'node',
      'dist/apps/gateway/src/cli/main.js',
      'tenants',
      'create',
      '--name',
      'Acme Events',
    ]);
    const created = JSON.parse(cli.stdout);
    assert.equal(created.tenant.name, 'Acme Events');
    assert.match(created.apiKey, /^pwk_/);
    const api = gateway.withKey(created.apiKey);

    // 2. Issue a pass
    const pass = await api.post('/passes', {
      type: 'single',
      name: 'VIP Guest',
      clientName: 'John Doe',
      validUntil: '2027-12-31T23:59:59Z',
      customFields: [{ key: 'Seat', value: 'A1', isPublic: true }],
    });
    assert.equal(pass.status, 201, pass.text);
    assert.equal(pass.body.status, 'active');
    assert.match(pass.body.publicUrl, new RegExp(`/p/${pass.body.code}\\?token=`));

    // 3. Read it back
    const read = await api.get(`/passes/${pass.body.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.code, pass.body.code);

    // 4. List, search, page
    const list = await api.get('/passes?search=vip&status=active&limit=10&page=1');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.map((p: { id: string }) => p.id),
      [pass.body.id],
    );
    assert.equal(list.headers.get('x-total-count'), '1');
    assert.ok(list.headers.get('link'));

    // 6 (before 5, so the scan is heard): subscribe a webhook
    const hook = await api.post('/webhooks', { event: 'pass.scanned', targetUrl: receiver.url('/hook') });
    assert.equal(hook.status, 201, hook.text);

    // 5. Scan it at the door; a second scan of a single pass answers already_used
    const scan = await api.post('/scan', { code: pass.body.code });
    assert.equal(scan.body.success, true);
    assert.equal(scan.body.pass.status, 'used');
    const again = await api.post('/scan', { code: pass.body.code });
    assert.equal(again.body.result, 'already_used');

    const [delivery] = await receiver.waitFor((received) => received.length >= 1, 60_000);
    assert.equal(delivery.json.type, 'pass.scanned');
    assert.equal(delivery.json.data.passId, pass.body.id);
    assert.ok(verifySignature(hook.body.secret, delivery));

    // The holder's page
    const page = await fetch(pass.body.publicUrl.replace(/^http:\/\/localhost:\d+/, gateway.baseUrl));
    assert.equal(page.status, 200);
  });
});

describe('where the servers come from', () => {
  const { defaultInfraMode } = projectScript('infra');
  it('npm start: compose on a machine without Java, local servers with it; npm test: containers unless TEST_* name servers', () => {
    const noJava = mkdtempSync(join(tmpdir(), 'passway-no-java-'));
    const withJava = mkdtempSync(join(tmpdir(), 'passway-java-'));
    writeFileSync(join(withJava, 'java'), '#!/bin/sh\n', { mode: 0o755 });
    try {
      assert.equal(defaultInfraMode({ env: { PATH: noJava }, containers: false }), 'compose');
      assert.equal(defaultInfraMode({ env: { PATH: `${noJava}:${withJava}` }, containers: false }), 'local');
      assert.equal(defaultInfraMode({ env: { PATH: noJava, JAVA_HOME: noJava }, containers: false }), 'compose');
      assert.equal(defaultInfraMode({ env: { PATH: noJava }, containers: true }), 'containers');
      assert.equal(defaultInfraMode({ env: { PATH: noJava, TEST_KAFKA_BROKERS: '127.0.0.1:19092' }, containers: true }), 'local');
      assert.equal(defaultInfraMode({ env: { PATH: noJava, TEST_DATABASE_URL: 'postgres://x@127.0.0.1/t' }, containers: true }), 'local');
    } finally {
      rmSync(noJava, { recursive: true, force: true });
      rmSync(withJava, { recursive: true, force: true });
    }
  });
});

/** This PATH without any `java` on it: each folder that holds one is replaced by links to its other entries. */
function pathWithoutJava(root: string): string {
  return (process.env.PATH ?? '')
    .split(':')
    .filter(Boolean)
    .map((dir, i) => {
      if (!existsSync(join(dir, 'java'))) return dir;
      const copy = join(root, String(i));
      mkdirSync(copy);
      for (const entry of readdirSync(dir)) if (entry !== 'java') symlinkSync(join(dir, entry), join(copy, entry));
      return copy;
    })
    .join(':');
}

// `npm start` as a person with Docker and no Java runs it: PostgreSQL, Redis and Kafka come from
// docker-compose.yml, the five apps run on this machine against them.
(inContainers ? describe : describe.skip)('npm start on a machine with Docker but no Java', () => {
  const { composeProject } = projectScript('compose');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const projectName = `passway-start-${process.pid}`;
  const noJavaDir = mkdtempSync(join(tmpdir(), 'passway-no-java-path-'));
  let launcher: ChildProcess | undefined;
  let output = '';
  let exited: Promise<number | null>;
  let env: NodeJS.ProcessEnv;
  let gatewayUrl: string;

  const waitForOutput = async (pattern: RegExp, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (launcher!.exitCode !== null) throw new Error(`npm start exited (${launcher!.exitCode}):\n${output.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`npm start did not print ${pattern} in ${timeoutMs} ms:\n${output.slice(-4000)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const removeProject = () => composeProject({ name: projectName, env, log }).down();

  beforeAll(async () => {
    const ports = await freePorts();
    const infraPorts = await freePorts();
    const base: NodeJS.ProcessEnv = { ...process.env };
    // What `npm test` set for its own servers and stack is not this person's environment.
    for (const name of ['PASSWAY_INFRA', 'JAVA_HOME', 'DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS', 'PUBLIC_BASE_URL', 'SERVICE_TOKEN_KEY'])
      delete base[name];
    env = stackEnv(ports, {
      ...base,
      PATH: pathWithoutJava(noJavaDir),
      NODE_ENV: 'development',
      LOG_FORMAT: 'json',
      PASSWAY_COMPOSE_PROJECT: projectName,
      // npm test built dist/ (a second build would only cost minutes, and rewrite the console the shared stack serves).
      PASSWAY_SKIP_BUILD: '1',
      PASSWAY_POSTGRES_PORT: String(infraPorts.gateway),
      PASSWAY_REDIS_PORT: String(infraPorts.passesHttp),
      PASSWAY_KAFKA_PORT: String(infraPorts.scansHttp),
    });
    gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    process.once('exit', removeProject);
    launcher = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'start.js')], {
      cwd: REPO_ROOT,
      env,
      detached: true, // a terminal's process group: Ctrl-C reaches all of it
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout!.on('data', (chunk) => (output += chunk));
    launcher.stderr!.on('data', (chunk) => (output += chunk));
    exited = new Promise((resolve) => launcher!.once('exit', (code) => resolve(code)));
    await waitForOutput(/Passway gateway: /, 600_000);
  }, 660_000);

  afterAll(async () => {
    if (launcher && launcher.exitCode === null) {
      process.kill(-launcher.pid!, 'SIGKILL');
      await exited;
    }
    removeProject();
    process.removeListener('exit', removeProject);
    rmSync(noJavaDir, { recursive: true, force: true });
  }, 120_000);

  it('says it took compose, and serves a pass that is created and scanned', async () => {
    assert.match(output, /infra: mode compose \(no Java on this machine\)/);
    assert.match(output, /infra: compose \(/);
    const cli = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'dist/apps/gateway/src/cli/main.js'), 'tenants', 'create', '--name', `Compose Start ${Date.now()}`],
      {
        env: { ...env, DATABASE_URL: `postgres://postgres:passway@127.0.0.1:${env.PASSWAY_POSTGRES_PORT}/passway` },
        encoding: 'utf8',
      },
    );
    assert.equal(cli.status, 0, cli.stderr);
    const api = new ApiClient(gatewayUrl).withKey(JSON.parse(cli.stdout).apiKey);
    const pass = await api.post('/passes', {
      type: 'single',
      name: 'Compose',
      clientName: 'Grace Hopper',
      validUntil: '2030-01-01T00:00:00Z',
    });
    assert.equal(pass.status, 201, pass.text);
    const scan = await api.post('/scan', { code: pass.body.code });
    assert.equal(scan.body.result, 'success', scan.text);
  });

  it('stops the apps and the compose services on Ctrl-C', async () => {
    process.kill(-launcher!.pid!, 'SIGINT');
    assert.equal(await exited, 0, output.slice(-3000));
    assert.match(output, /compose: stopped postgres, redis, kafka/);
    const running = composeProject({ name: projectName, env, log }).run(['ps', '-q']).stdout.trim();
    const states = running
      ? spawnSync('docker', ['inspect', '--format', '{{.State.Status}}', ...running.split('\n')], { encoding: 'utf8' }).stdout.trim()
      : '';
    assert.doesNotMatch(states, /running/);
  });
});
