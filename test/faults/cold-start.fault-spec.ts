import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it, afterAll } from '@jest/globals';
import { Client } from 'pg';
import Redis from 'ioredis';
import { freePorts } from '../../tools/stack';
import { closeGatewayDb, createTenant, eventually, REPO_ROOT } from '../support/e2e-env';

/** `npm start` as a user runs it, in a terminal of its own: its process group is what Ctrl-C reaches. */
class Launcher {
  private output = '';
  private readonly exited: Promise<number | null>;

  constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  static async start(env: NodeJS.ProcessEnv): Promise<Launcher> {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'start.js')], {
      cwd: REPO_ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const launcher = new Launcher(child);
    await launcher.waitForOutput(/Passway gateway: /, 180_000);
    return launcher;
  }

  /** Ctrl-C: SIGINT to the terminal's whole foreground process group. */
  async interrupt(): Promise<void> {
    process.kill(-this.child.pid!, 'SIGINT');
    const timer = setTimeout(() => process.kill(-this.child.pid!, 'SIGKILL'), 60_000);
    const code = await this.exited;
    clearTimeout(timer);
    assert.equal(code, 0, `npm start stops cleanly on Ctrl-C:\n${this.output.slice(-3000)}`);
  }

  private async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (this.child.exitCode !== null) throw new Error(`npm start exited (${this.child.exitCode}):\n${this.output.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`npm start did not print ${pattern} in ${timeoutMs} ms:\n${this.output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A port whose neighbour (the KRaft controller's) is free too; TEST_FAULT_KAFKA_PORT fixes it (machines shared by checkouts). */
async function freeKafkaPort(): Promise<number> {
  if (process.env.TEST_FAULT_KAFKA_PORT) return Number(process.env.TEST_FAULT_KAFKA_PORT);
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if ((await isFree(port)) && (await isFree(port + 1))) return port;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('fault 0: cold start, as a new user tries it', () => {
  let launcher: Launcher | undefined;
  let kafkaPort = 0;

  afterAll(async () => {
    await launcher?.interrupt().catch(() => undefined);
    await closeGatewayDb();
    for (const name of [
      `data-${kafkaPort}`,
      `server-${kafkaPort}.properties`,
      `log4j-${kafkaPort}.properties`,
      `server-${kafkaPort}.log`,
      `server-${kafkaPort}.log.1`,
    ]) {
      rmSync(join(REPO_ROOT, '.cache', 'kafka', name), { recursive: true, force: true });
    }
  });

  it('npm start, Ctrl-C, twice, then npm start: a suspension and a revoke made right after "up" hold at the door at once', async () => {
    kafkaPort = await freeKafkaPort();
    const ports = await freePorts();
    const database = new URL(process.env.DATABASE_URL!);
    database.pathname = `${database.pathname}_cold_start`;
    const adminUrl = new URL(database.toString());
    adminUrl.pathname = '/postgres';
    const admin = new Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database.pathname.slice(1)}" WITH (FORCE)`);
    await admin.end();
    const redisUrl = new URL(process.env.REDIS_URL!);
    redisUrl.pathname = `/${process.env.TEST_ISOLATED_REDIS_DB ?? '15'}`;
    const redis = new Redis(redisUrl.toString(), { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    redis.disconnect();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: database.toString(),
      REDIS_URL: redisUrl.toString(),
      KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
      // The servers already running (the suite's, in containers or not) and a Kafka of its own, which npm start starts and stops.
      PASSWAY_INFRA: 'local',
      KAFKA_CLIENT_ID_PREFIX: 'passway', // the same groups on every start, as for a user
      PASSWAY_SKIP_BUILD: '1', // npm run test:faults built dist/ already
      WEBHOOK_QUEUE_PREFIX: 'bull-cold-start',
      PORT: String(ports.gateway),
      PUBLIC_BASE_URL: `http://localhost:${ports.gateway}`,
      PASSES_HTTP_PORT: String(ports.passesHttp),
      SCANS_HTTP_PORT: String(ports.scansHttp),
      WEBHOOKS_HTTP_PORT: String(ports.webhooksHttp),
      NOTIFICATIONS_HTTP_PORT: String(ports.notificationsHttp),
      PASSES_GRPC_URL: `127.0.0.1:${ports.passesGrpc}`,
      SCANS_GRPC_URL: `127.0.0.1:${ports.scansGrpc}`,
      WEBHOOKS_GRPC_URL: `127.0.0.1:${ports.webhooksGrpc}`,
      NOTIFICATIONS_GRPC_URL: `127.0.0.1:${ports.notificationsGrpc}`,
    };
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;

    launcher = await Launcher.start(env);
    const { api } = await createTenant({ name: 'Cold Start' }, gatewayUrl, env.DATABASE_URL);
    // Some traffic, so every consumer group has members and committed offsets to come back to.
    const warm = await api.post('/passes', { type: 'multi', maxUsages: 10, name: 'Warm-up' });
    assert.equal((await api.post('/scan', { code: warm.body.code })).body.result, 'success');
    await launcher.interrupt();
    launcher = await Launcher.start(env);
    await launcher.interrupt();
    launcher = await Launcher.start(env);

    // Right after "up": an event suspended and scanned at once.
    const event = await api.post('/events', { name: 'Cold Night', startsAt: '2027-06-01T20:00:00Z', endsAt: '2027-06-01T23:00:00Z' });
    assert.equal(event.status, 201, JSON.stringify(event.body));
    const attendee = await api.post('/passes', { type: 'single', name: 'Attendee', clientName: 'Ada Attendee', eventId: event.body.id });
    assert.equal(attendee.status, 201, JSON.stringify(attendee.body));
    assert.equal((await api.post(`/events/${event.body.id}/suspend`)).status, 200);
    const suspended = await api.post('/scan', { code: attendee.body.code });
    assert.equal(suspended.body.result, 'event_suspended', JSON.stringify(suspended.body));

    // The same for a revoke.
    const revokedPass = await api.post('/passes', { type: 'single', name: 'Revoked' });
    assert.equal((await api.post(`/passes/${revokedPass.body.id}/revoke`)).status, 200);
    const revoked = await api.post('/scan', { code: revokedPass.body.code });
    assert.equal(revoked.body.result, 'revoked', JSON.stringify(revoked.body));

    // And a scan reaches the pass's usage count through the consumers (it took 60 s before).
    const counted = await api.post('/passes', { type: 'multi', maxUsages: 5, name: 'Counted' });
    assert.equal((await api.post('/scan', { code: counted.body.code })).body.result, 'success');
    await eventually(async () => ((await api.get(`/passes/${counted.body.id}`)).body.usagesCount === 1 ? true : undefined), 10_000, 100);
  }, 900_000); // three starts of the whole stack, each with its broker: minutes on a busy machine
});
