#!/usr/bin/env node
// `npm run bench`: the scan path under load. Uses the stack at BENCH_GATEWAY_URL, or starts one
// (infrastructure that is not running yet, migrations, the five apps on free ports). Creates a
// tenant with a rate limit out of the way and unlimited multi passes, then for each concurrency:
//   - POST /api/v1/scan through the gateway with autocannon for BENCH_DURATION_S seconds:
//     successful scans/s (counted in the database) and p50/p99 latency;
//   - scan → pass.scanned consumed: a Kafka consumer's receive time minus the event's scannedAt;
//   - the same redemption statement straight against PostgreSQL with pgbench, the floor no
//     service on this machine can beat, and the ratio gateway/pgbench.
// Settings (environment): BENCH_GATEWAY_URL, BENCH_CONCURRENCY (default 1,8,32), BENCH_DURATION_S
// (10), BENCH_PASSES (256), BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_KAFKA_BROKERS (the stack's;
// defaults below; several checkouts on one machine give each its own).
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { randomBytes, randomUUID } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { checkNodeRuntime } = require('./lib/node-runtime');

const root = path.resolve(__dirname, '..');
const dist = (file) => path.join(root, 'dist', file);
const log = (line) => process.stderr.write(`bench: ${line}\n`);

// Production settings (random secrets, JSON logs at warn, secure cookies) with two exceptions that
// BENCH_MODE allows only next to a broker on loopback: plaintext Kafka (production wants TLS and
// SASL) and the webhook receiver on loopback. The output says so.
const BENCH_ENV = {
  NODE_ENV: 'production',
  BENCH_MODE: 'true',
  PASSWAY_INFRA: process.env.PASSWAY_INFRA || 'local',
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
  LOG_FORMAT: 'json',
  DATABASE_URL: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/passway_bench',
  REDIS_URL: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379/2',
  KAFKA_BROKERS: process.env.BENCH_KAFKA_BROKERS || '127.0.0.1:9092',
  KAFKA_CLIENT_ID_PREFIX: process.env.KAFKA_CLIENT_ID_PREFIX || 'passway-bench',
  WEBHOOK_QUEUE_PREFIX: 'bench',
  // NODE_ENV=production refuses the development secrets: a started stack gets random ones.
  PASS_LINK_SECRET: process.env.PASS_LINK_SECRET || randomBytes(32).toString('base64'),
  WEBHOOK_SECRET_KEY: process.env.WEBHOOK_SECRET_KEY || randomBytes(32).toString('base64'),
  SERVICE_TOKEN_KEY: process.env.SERVICE_TOKEN_KEY || randomBytes(32).toString('base64url'),
  // The webhook bench's receiver runs here, on loopback; emails are logged, not sent.
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  EMAIL_PROVIDER: process.env.EMAIL_PROVIDER || 'log',
};
const MODE_LINE =
  'Mode: NODE_ENV=production (random secrets, JSON logs at warn) with BENCH_MODE: plaintext Kafka on loopback instead of TLS + SASL, webhook receiver on loopback.';
const CONCURRENCY = (process.env.BENCH_CONCURRENCY || '1,8,32').split(',').map(Number);
const DURATION_S = Number(process.env.BENCH_DURATION_S || 10);
/** BENCH_REPLICAS=2: two gateways and two scans services (the load split between the gateways). */
const REPLICAS = Number(process.env.BENCH_REPLICAS || 1);
/** The gateways the scan load goes to (comma-separated); the first stack's alone unless BENCH_REPLICAS=2. */
let loadTargets;
const PASS_COUNT = Number(process.env.BENCH_PASSES || 256);
const PGBENCH = process.env.PGBENCH || '/usr/bin/pgbench';
const PROCESSES = ['gateway', 'scans', 'passes', 'webhooks', 'notifications', 'postgres', 'kafka'];

/** BENCH_ONLY=scan,burst,drain,webhooks,door,wallet,console,live runs only those benches (default: all; burst and drain follow scan). */
function printRows(title, rows) {
  const width = Math.max(...rows.map((r) => r.metric.length));
  process.stdout.write(`\n${title}\n${'metric'.padEnd(width)}  value\n${'-'.repeat(width)}  ------\n`);
  for (const row of rows) process.stdout.write(`${row.metric.padEnd(width)}  ${row.value}\n`);
}

function benchSelected(name) {
  const only = (process.env.BENCH_ONLY || '').split(',').filter(Boolean);
  return only.length === 0 || only.includes(name);
}

async function main() {
  checkNodeRuntime(log);
  // The bench's own Kafka clients (the scan→event probe, the backlog writer) get the apps' kafkajs fix.
  require(dist('libs/common/src/kafka/request-queue-idle-fix'));
  const env = { ...process.env, ...BENCH_ENV };
  let stack;
  let replica;
  let infra;
  let gatewayUrl = process.env.BENCH_GATEWAY_URL;
  const { migrateAll } = require(dist('tools/migrate'));
  try {
    if (!gatewayUrl) {
      const { ensureInfra } = require('./lib/infra');
      infra = await ensureInfra({ log, env });
      await migrateAll(env, log);
      const { Stack, freePorts } = require(dist('tools/stack'));
      const logDir = path.join(root, 'test-artifacts', 'bench-logs');
      fs.rmSync(logDir, { recursive: true, force: true });
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each app, written when the stack stops.
      const profileDir = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;
      // BENCH_NODE_ARGS: extra V8/Node flags for every app (e.g. to try a heap setting).
      const extraNodeArgs = (process.env.BENCH_NODE_ARGS || '').split(/\s+/).filter(Boolean);
      const nodeArgs = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...extraNodeArgs];
      const ports = await freePorts();
      stack = new Stack({ ports, env, logDir, label: 'bench', nodeArgs });
      log(`starting the stack (logs in ${path.relative(root, logDir)})`);
      await stack.start();
      gatewayUrl = stack.gatewayUrl;
      if (REPLICAS === 2) {
        // A second gateway and scans service, sharing the first stack's other apps; each gateway
        // calls its own scans replica, the load is split between the gateways.
        const own = await freePorts();
        const shared = { ...ports, gateway: own.gateway, scansGrpc: own.scansGrpc, scansHttp: own.scansHttp };
        replica = new Stack({ ports: shared, env, logDir, label: 'bench-replica', nodeArgs, apps: ['scans', 'gateway'] });
        log('starting a second gateway and scans service');
        await replica.start();
        loadTargets = `${stack.gatewayUrl},${replica.gatewayUrl}`;
      }
    }
    if (benchSelected('scan')) await run(env, gatewayUrl);
    if (benchSelected('webhooks'))
      await runContextBench(env, gatewayUrl, 'Webhooks', require(dist('tools/bench/webhooks.bench')).benchWebhooks);
    if (benchSelected('door'))
      await runContextBench(env, gatewayUrl, 'Door app (Chromium)', require(dist('tools/bench/door.bench')).benchDoor);
    if (benchSelected('wallet')) await runWalletBench(env);
    if (benchSelected('console')) await runConsoleBench(gatewayUrl);
    if (benchSelected('live'))
      await runContextBench(env, gatewayUrl, 'Live check-in (SSE)', require(dist('tools/bench/live.bench')).benchLive);
  } finally {
    if (replica) await replica.stop();
    if (stack) await stack.stop();
    if (infra) await infra.stop();
  }
}

/**
 * A bench that makes tenants of its own on the running stack, its rows printed under `title`:
 *  - webhooks (tools/bench/webhooks.bench.ts): event → signed webhook delivery, latency and deliveries/s;
 *  - door (tools/bench/door.bench.ts): download of a 50,000-pass event, offline decision, camera frame → result, in Chromium;
 *  - live (tools/bench/live.bench.ts): 1,000 SSE streams on one gateway, its added memory, one scan's fan-out.
 */
async function runContextBench(env, gatewayUrl, title, bench) {
  const { createBenchContext } = require(dist('tools/bench/bench-context'));
  const context = await createBenchContext(gatewayUrl, env);
  try {
    printRows(title, await bench(context));
  } finally {
    await context.close();
  }
}

/** .pkpass generation and APNs fan-out to the local stand-in (tools/bench/wallet.bench.ts). */
async function runWalletBench(env) {
  const { benchWallet } = require(dist('tools/bench/wallet.bench'));
  printRows('Wallet', await benchWallet(env));
}

/** The console in Chromium (tools/bench/console.bench.ts): initial JavaScript gzipped, sign-in page to interactive. */
async function runConsoleBench(gatewayUrl) {
  const { benchConsole } = require(dist('tools/bench/console.bench'));
  printRows('Console (Chromium)', await benchConsole(gatewayUrl, path.join(root, 'dist/console')));
}

async function run(env, gatewayUrl) {
  const { Client } = require('pg');
  const db = new Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const { tenantId, adminKey, scannerKey: apiKey } = await createBenchTenant(env.DATABASE_URL);
  const codes = await createPasses(gatewayUrl, adminKey);
  log(`tenant ${tenantId}: ${codes.length} multi passes with unlimited usages`);
  await warmUp(gatewayUrl, apiKey, codes);

  const lag = await startLagProbe(env.KAFKA_BROKERS, tenantId);
  const pgbench = await preparePgbench(db, codes.length);
  const conditions = { loadBefore: os.loadavg()[0].toFixed(2), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?' };
  const rows = [];
  // What the stack burns doing nothing (consumer polls, probes, sweepers), per second: printed so a
  // slow run's CPU per scan can be told apart from what each scan costs.
  await sleep(5_000); // the warm-up's events consumed first
  const idleBefore = cpuSeconds(env.DATABASE_URL, env.KAFKA_BROKERS);
  const idleFrom = Date.now();
  await sleep(5_000);
  const idle = perSecond(idleBefore, cpuSeconds(env.DATABASE_URL, env.KAFKA_BROKERS), (Date.now() - idleFrom) / 1000);
  try {
    for (const connections of CONCURRENCY) {
      const cpuBefore = cpuSeconds(env.DATABASE_URL, env.KAFKA_BROKERS);
      const from = new Date();
      const http = await loadGateway(loadTargets ?? gatewayUrl, apiKey, codes, connections);
      const to = new Date();
      const cpuAfter = cpuSeconds(env.DATABASE_URL, env.KAFKA_BROKERS);
      const succeeded = await countSuccesses(db, tenantId, from, to);
      const events = await lag.collect(from, to, succeeded);
      const floor = runPgbench(env.DATABASE_URL, pgbench, connections);
      rows.push({
        connections,
        gatewayRps: succeeded / ((to - from) / 1000),
        non2xx: http.non2xx + http.errors,
        p50: http.latency.p50,
        p99: http.latency.p99,
        lagP50: percentile(events, 50),
        lagP99: percentile(events, 99),
        lagMissing: succeeded - events.length,
        pgTps: floor.tps,
        pgP50: floor.p50,
        pgP99: floor.p99,
        cpuMsPerScan: Object.fromEntries(
          Object.keys(cpuAfter).map((app) => [app, ((cpuAfter[app] - (cpuBefore[app] ?? 0)) * 1000) / Math.max(1, succeeded)]),
        ),
        marginalMsPerScan: Object.fromEntries(
          Object.keys(cpuAfter).map((app) => [
            app,
            ((cpuAfter[app] - (cpuBefore[app] ?? 0) - (idle[app] ?? 0) * ((to - from) / 1000)) * 1000) / Math.max(1, succeeded),
          ]),
        ),
      });
      log(
        `concurrency ${connections}: ${rows.at(-1).gatewayRps.toFixed(0)} scans/s through the gateway, ${floor.tps.toFixed(0)} tx/s in pgbench`,
      );
    }
  } finally {
    await lag.stop();
    await cleanUpPgbench(db, pgbench);
  }
  printTable(rows, { ...conditions, loadAfter: os.loadavg()[0].toFixed(2) }, idle);
  try {
    const extra = [];
    if (benchSelected('burst')) extra.push(...(await webhookLatencyAfterBurst(env, gatewayUrl, apiKey, codes)));
    if (benchSelected('drain')) extra.push(...(await backlogDrain(env, db, tenantId)));
    extra.push(...residentMemory());
    printRows('Consumers, webhooks after a burst, memory', extra);
  } finally {
    await db.end();
  }
}

const BURST_S = Number(process.env.BENCH_BURST_S || 30);
const BURST_CONNECTIONS = Number(process.env.BENCH_BURST_CONNECTIONS || 32);
const AFTER_BURST_EVENTS = 50;
const BACKLOG_EVENTS = Number(process.env.BENCH_BACKLOG || 50_000);

/**
 * Event → webhook right after a scan burst: BURST_S seconds of scans at BURST_CONNECTIONS, then
 * passes created one by one for a tenant with a pass.created webhook (receiver on loopback); the
 * latency is the pass's createdAt to the signed POST arriving. A webhooks service still working
 * through the burst's pass.scanned events shows here.
 */
async function webhookLatencyAfterBurst(env, gatewayUrl, scanKey, codes) {
  const { createServer } = require('node:http');
  const received = new Map();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      if (!received.has(body.data.id)) received.set(body.data.id, Date.now());
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { createBenchContext } = require(dist('tools/bench/bench-context'));
  const context = await createBenchContext(gatewayUrl, env);
  try {
    const { apiKey } = await context.createTenant('Burst webhooks bench');
    const api = async (method, route, body) => {
      const response = await fetch(`${gatewayUrl}/api/v1${route}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const waitUntil = async (done, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > deadline) throw new Error('bench: webhooks after the burst did not all arrive');
        await sleep(5);
      }
    };
    await api('POST', '/webhooks', { event: 'pass.created', targetUrl: `http://127.0.0.1:${server.address().port}/after-burst` });
    const warmUp = await api('POST', '/passes', { type: 'single', name: 'burst warm-up' });
    await waitUntil(() => received.has(warmUp.id), 60_000);
    log(`burst: ${BURST_S} s of scans at concurrency ${BURST_CONNECTIONS}, then ${AFTER_BURST_EVENTS} passes with a webhook`);
    const burst = await loadGateway(loadTargets ?? gatewayUrl, scanKey, codes, BURST_CONNECTIONS, BURST_S);
    const created = [];
    for (let i = 0; i < AFTER_BURST_EVENTS; i += 1)
      created.push(await api('POST', '/passes', { type: 'single', name: `after burst ${i}` }));
    await waitUntil(() => created.every((p) => received.has(p.id)), 120_000);
    const latencies = created.map((p) => received.get(p.id) - Date.parse(p.createdAt));
    return [
      {
        metric: `burst: scans/s through the gateway (${BURST_S} s, c=${BURST_CONNECTIONS})`,
        value: (burst.requests.average ?? NaN).toFixed(0),
      },
      { metric: `event→webhook p50 right after the burst (${AFTER_BURST_EVENTS} passes)`, value: `${percentile(latencies, 50)} ms` },
      { metric: 'event→webhook p99 right after the burst', value: `${percentile(latencies, 99)} ms` },
    ];
  } finally {
    server.closeAllConnections();
    server.close();
    await context.close();
  }
}

/**
 * Backlog drain: BACKLOG_EVENTS pass.scanned events for the bench tenant's passes written to the
 * scan topic as fast as the producer goes, then the time until each consuming group (the passes
 * tally, the webhook intake) has committed the end of the topic, and the CPU each spent per event.
 */
async function backlogDrain(env, db, tenantId) {
  const { Kafka, logLevel } = require('kafkajs');
  const { TOPICS } = require(dist('libs/common/src/events/topics'));
  const { CONSUMER_GROUPS, consumerGroupId } = require(dist('libs/common/src/kafka/consumer-groups'));
  const { createEvent } = require(dist('libs/common/src/events/envelope'));
  const topic = TOPICS.scanEvents.name;
  const groups = {
    passes: consumerGroupId(env.KAFKA_CLIENT_ID_PREFIX, CONSUMER_GROUPS.passesScanTally),
    webhooks: consumerGroupId(env.KAFKA_CLIENT_ID_PREFIX, CONSUMER_GROUPS.webhooks),
  };
  const { rows: passes } = await db.query(
    'SELECT pass_id, code, name, usages_count FROM scans.admissions WHERE tenant_id = $1 ORDER BY pass_id',
    [tenantId],
  );
  const kafka = new Kafka({ clientId: 'passway-bench-backlog', brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  try {
    log(`drain: writing ${BACKLOG_EVENTS} pass.scanned events to ${topic}`);
    const cpuBefore = cpuSeconds(env.DATABASE_URL, env.KAFKA_BROKERS);
    const started = Date.now();
    const base = 1_000_000;
    for (let from = 0; from < BACKLOG_EVENTS; from += 1000) {
      const messages = [];
      for (let i = from; i < Math.min(BACKLOG_EVENTS, from + 1000); i += 1) {
        const pass = passes[i % passes.length];
        const scannedAt = new Date();
        const event = createEvent(
          'pass.scanned',
          tenantId,
          {
            id: randomUUID(),
            passId: pass.pass_id,
            code: pass.code,
            passName: pass.name,
            passType: 'multi',
            success: true,
            result: 'success',
            usagesCount: base + i,
            maxUsages: null,
            passStatus: 'active',
            scannedAt: scannedAt.toISOString(),
            channel: 'online',
            method: 'qr_scan',
            eventId: null,
          },
          scannedAt,
        );
        messages.push({ key: pass.pass_id, value: JSON.stringify(event), headers: { 'event-id': event.id } });
      }
      await producer.send({ topic, messages, acks: -1 });
    }
    const written = Date.now();
    const ends = await admin.fetchTopicOffsets(topic);
    const drained = {};
    const deadline = Date.now() + 600_000;
    while (Object.keys(drained).length < Object.keys(groups).length && Date.now() < deadline) {
      for (const [app, groupId] of Object.entries(groups)) {
        if (drained[app]) continue;
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const behind = ends.some((end) => {
          const at = committed.partitions.find((p) => p.partition === end.partition);
          return !at || Number(at.offset) < Number(end.high);
        });
        if (!behind) drained[app] = { at: Date.now(), cpu: cpuSeconds(env.DATABASE_URL, env.KAFKA_BROKERS)[app] };
      }
      await sleep(50);
    }
    const rows = [
      { metric: `drain: ${BACKLOG_EVENTS} pass.scanned written to Kafka in`, value: `${((written - started) / 1000).toFixed(1)} s` },
    ];
    for (const app of Object.keys(groups)) {
      const done = drained[app];
      if (!done) {
        rows.push({ metric: `drain: ${app} emptied its backlog`, value: 'not within 10 minutes' });
        continue;
      }
      const seconds = (done.at - started) / 1000;
      rows.push({
        metric: `drain: ${app} emptied its backlog in (events/s; CPU ms per event)`,
        value: `${seconds.toFixed(1)} s (${(BACKLOG_EVENTS / seconds).toFixed(0)}/s; ${(((done.cpu - (cpuBefore[app] ?? 0)) * 1000) / BACKLOG_EVENTS).toFixed(3)} ms)`,
      });
    }
    return rows;
  } finally {
    await Promise.all([producer.disconnect(), admin.disconnect()]);
  }
}

/** Resident memory of each app of this checkout now (the end of the bench). */
function residentMemory() {
  const { runningApps } = require(dist('tools/bench/bench-context'));
  return runningApps()
    .map(({ app, pid, rssBytes }) => ({ metric: `RSS at the end: ${app} (pid ${pid})`, value: `${(rssBytes / 2 ** 20).toFixed(0)} MB` }))
    .sort((a, b) => a.metric.localeCompare(b.metric));
}

// ---------------------------------------------------------------------------------------------
// Setup

async function createBenchTenant(databaseUrl) {
  require('reflect-metadata');
  const { DataSource } = require('typeorm');
  const { gatewayDataSourceOptions } = require(dist('apps/gateway/src/database/gateway-database'));
  const { createBenchTenant: createTenant } = require(dist('tools/bench/bench-context'));
  const dataSource = await new DataSource(gatewayDataSourceOptions(databaseUrl, 2)).initialize();
  try {
    const { tenantId, keys } = await createTenant(dataSource, `Bench ${new Date().toISOString()}`, ['admin', 'scanner']);
    return { tenantId, adminKey: keys.admin, scannerKey: keys.scanner };
  } finally {
    await dataSource.destroy();
  }
}

async function createPasses(gatewayUrl, apiKey) {
  const codes = [];
  for (let i = 0; i < PASS_COUNT; i += 1) {
    const response = await fetch(`${gatewayUrl}/api/v1/passes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'multi', name: `Bench ${i}` }),
    });
    if (response.status !== 201) throw new Error(`creating a pass answered ${response.status}: ${await response.text()}`);
    codes.push((await response.json()).code);
  }
  return codes;
}

/** One scan per pass: every code is in the scans projection (or read through) before measuring. */
async function warmUp(gatewayUrl, apiKey, codes) {
  for (const code of codes) {
    const response = await fetch(`${gatewayUrl}/api/v1/scan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    const body = await response.json();
    if (!body.success) throw new Error(`warm-up scan failed: ${response.status} ${JSON.stringify(body)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Through the gateway

/**
 * autocannon on POST /scan for `duration` seconds. With several gateways (comma-separated URLs) the
 * connections are split between them, and the latencies reported are the worst of the instances.
 */
async function loadGateway(gatewayUrls, apiKey, codes, connections, duration = DURATION_S) {
  const urls = gatewayUrls.split(',');
  const results = await Promise.all(
    urls.map((url, i) =>
      loadOneGateway(
        url,
        apiKey,
        codes,
        Math.max(1, Math.round((connections * (i + 1)) / urls.length) - Math.round((connections * i) / urls.length)),
        duration,
      ),
    ),
  );
  if (results.length === 1) return results[0];
  return {
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    requests: { average: results.reduce((sum, r) => sum + r.requests.average, 0) },
    latency: { p50: Math.max(...results.map((r) => r.latency.p50)), p99: Math.max(...results.map((r) => r.latency.p99)) },
  };
}

function loadOneGateway(gatewayUrl, apiKey, codes, connections, duration) {
  const autocannon = require('autocannon');
  let next = Math.floor(Math.random() * codes.length);
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${gatewayUrl}/api/v1/scan`,
        connections,
        duration,
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (request) => {
              next = (next + 1) % codes.length;
              return { ...request, body: `{"code":"${codes[next]}"}` };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function countSuccesses(db, tenantId, from, to) {
  const { rows } = await db.query(
    'SELECT count(*)::int AS n FROM scans.scans WHERE tenant_id = $1 AND success AND scanned_at >= $2 AND scanned_at <= $3',
    [tenantId, from, to],
  );
  return rows[0].n;
}

/** Receive time minus scannedAt of every pass.scanned event of the bench tenant. */
async function startLagProbe(brokers, tenantId) {
  const { Kafka, logLevel } = require('kafkajs');
  const { TOPICS } = require(dist('libs/common/src/events/topics'));
  const kafka = new Kafka({ clientId: 'passway-bench-lag', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `passway-bench-lag-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const seen = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPICS.scanEvents.name], fromBeginning: false });
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) {
        const event = JSON.parse(message.value.toString());
        if (event.type !== 'pass.scanned' || event.tenantId !== tenantId) continue;
        const scannedAt = Date.parse(event.data.scannedAt);
        seen.push({ scannedAt, lag: now - scannedAt });
      }
    },
  });
  await joined;
  return {
    async collect(from, to, expected, timeoutMs = 30_000) {
      const inWindow = () => seen.filter((e) => e.scannedAt >= from.getTime() && e.scannedAt <= to.getTime());
      const deadline = Date.now() + timeoutMs;
      while (inWindow().length < expected && Date.now() < deadline) await sleep(200);
      return inWindow().map((e) => e.lag);
    },
    stop: () => consumer.disconnect(),
  };
}

/**
 * CPU seconds (user + system) used so far by each process of this benchmark, from /proc: the five
 * apps of this checkout, the PostgreSQL backends connected to the bench database, and the Kafka
 * broker on the bench port. That is the cost of a scan in each process, which the other users of
 * a shared machine do not distort the way they distort throughput.
 */
function cpuSeconds(databaseUrl, kafkaBrokers) {
  const ticks = 100; // USER_HZ on Linux
  const database = new URL(databaseUrl).pathname.slice(1);
  const kafkaPort = kafkaBrokers.split(',')[0].split(':').pop();
  const seconds = {};
  let entries;
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return seconds;
  }
  for (const pid of entries) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      let name = /dist\/apps\/(\w+)\/src\/main\.js/.exec(cmdline)?.[1];
      if (name && !cmdline.includes(path.join(root, 'dist'))) name = undefined;
      if (!name && cmdline.startsWith('postgres: ') && cmdline.split(' ').includes(database)) name = 'postgres';
      if (!name && cmdline.includes('kafka.Kafka') && cmdline.includes(`server-${kafkaPort}.properties`)) name = 'kafka';
      if (!name) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seconds[name] = (seconds[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // the process ended meanwhile
    }
  }
  return seconds;
}

// ---------------------------------------------------------------------------------------------
// The floor: the scans service's own redemption statement (REDEEM_SQL, imported, never copied), on
// passes of a tenant of its own, straight from pgbench.

/**
 * REDEEM_SQL as a pgbench script: its parameters become pgbench expressions. The scan and event
 * ids are two random 64-bit halves each (pgbench has no uuid function; a separate SELECT would add
 * a round trip the service does not make), the envelope is built in SQL with the event's id.
 */
function pgbenchScript(tenantId, passCount) {
  const { REDEEM_SQL } = require(dist('apps/scans/src/redemption/redemption.repository'));
  const { TOPICS } = require(dist('libs/common/src/events/topics'));
  const uuid = (a, b) => `(lpad(to_hex(:${a}::bigint), 16, '0') || lpad(to_hex(:${b}::bigint), 16, '0'))::uuid`;
  const eventId = uuid('e1', 'e2');
  const params = {
    1: `('PGB' || lpad(:n::text, 13, '0'))`,
    2: `'${tenantId}'::uuid`,
    3: 'now()',
    4: uuid('s1', 's2'),
    5: `'online'`,
    6: 'NULL::text',
    7: 'NULL::uuid',
    8: eventId,
    9: `'${TOPICS.scanEvents.name}'`,
    10: `jsonb_build_object('id', ${eventId}, 'type', 'pass.scanned', 'tenantId', '${tenantId}', 'occurredAt', now(), 'version', 1)`,
    11: `'qr_scan'`,
    12: `'{}'`,
  };
  // pgbench reads ":MI" in to_char's format as a variable; quoted separators give the same text.
  const sql = REDEEM_SQL.replaceAll('HH24:MI:SS', 'HH24":"MI":"SS').replace(/\$(\d+)(?!\d)/g, (_, n) => {
    if (!params[n]) throw new Error(`REDEEM_SQL has a parameter $${n} the bench does not know: update pgbenchScript`);
    return `(${params[n]})`;
  });
  const random = (name) => `\\set ${name} random(1, 9223372036854775807)`;
  return [`\\set n random(1, ${passCount})`, ...['s1', 's2', 'e1', 'e2'].map(random), `${sql.trim().replace(/\s*\n\s*/g, ' ')};`, ''].join(
    '\n',
  );
}

async function preparePgbench(db, passCount) {
  const tenantId = randomUUID();
  await db.query(
    `INSERT INTO scans.admissions (pass_id, tenant_id, code, name, type, status, source_updated_at)
     SELECT gen_random_uuid(), $1, 'PGB' || lpad(n::text, 13, '0'), 'pgbench ' || n, 'multi', 'active', now()
       FROM generate_series(1, $2) AS n`,
    [tenantId, passCount],
  );
  const script = path.join(os.tmpdir(), `passway-bench-redeem-${process.pid}.sql`);
  fs.writeFileSync(script, pgbenchScript(tenantId, passCount));
  return { tenantId, script };
}

function runPgbench(databaseUrl, { script }, clients) {
  const url = new URL(databaseUrl);
  const logPrefix = path.join(os.tmpdir(), `passway-bench-pg-${process.pid}-${clients}`);
  const args = [
    '-n',
    '-M',
    'prepared',
    '-c',
    String(clients),
    '-j',
    String(Math.min(clients, os.cpus().length)),
    '-T',
    String(DURATION_S),
    '-f',
    script,
    '-l',
    `--log-prefix=${logPrefix}`,
    '-h',
    url.hostname,
    '-p',
    url.port || '5432',
    '-U',
    decodeURIComponent(url.username || 'postgres'),
    url.pathname.slice(1),
  ];
  const result = spawnSync(PGBENCH, args, {
    encoding: 'utf8',
    env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password || '') },
  });
  if (result.status !== 0) throw new Error(`pgbench failed (${result.status}): ${result.stderr || result.error}`);
  const tps = Number(/tps = ([\d.]+)/.exec(result.stdout)?.[1] ?? NaN);
  const latencies = [];
  for (const file of fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(path.basename(logPrefix)))) {
    const full = path.join(os.tmpdir(), file);
    for (const line of fs.readFileSync(full, 'utf8').split('\n')) {
      const latencyUs = Number(line.split(' ')[2]);
      if (Number.isFinite(latencyUs) && line) latencies.push(latencyUs / 1000);
    }
    fs.rmSync(full, { force: true });
  }
  return { tps, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function cleanUpPgbench(db, { tenantId, script }) {
  fs.rmSync(script, { force: true });
  await db.query('DELETE FROM scans.scans WHERE tenant_id = $1', [tenantId]);
  await db.query('DELETE FROM scans.admissions WHERE tenant_id = $1', [tenantId]);
}

// ---------------------------------------------------------------------------------------------

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function perSecond(before, after, seconds) {
  return Object.fromEntries(Object.keys(after).map((name) => [name, (after[name] - (before[name] ?? 0)) / seconds]));
}

function printTable(rows, conditions, idle) {
  const f = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
  const lines = [
    '',
    MODE_LINE,
    `${REPLICAS === 2 ? 'Two gateways and two scans services (load split between the gateways; p50/p99 the worse of the two). ' : ''}Scan path, ${DURATION_S} s per concurrency, ${PASS_COUNT} unlimited multi passes; ${conditions.cpus} CPUs (${conditions.cpuModel}), load average ${conditions.loadBefore} before, ${conditions.loadAfter} after.`,
    '',
    '| concurrency | gateway successful scans/s | p50 ms | p99 ms | scan→pass.scanned p50 ms | p99 ms | pgbench tx/s | pgbench p50 ms | p99 ms | gateway/pgbench |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.connections} | ${f(r.gatewayRps)}${r.non2xx ? ` (${r.non2xx} non-2xx)` : ''} | ${f(r.p50, 1)} | ${f(r.p99, 1)} | ${f(r.lagP50)} | ${f(r.lagP99)}${r.lagMissing > 0 ? ` (${r.lagMissing} not seen)` : ''} | ${f(r.pgTps)} | ${f(r.pgP50, 1)} | ${f(r.pgP99, 1)} | ${f((r.gatewayRps / r.pgTps) * 100)} % |`,
    ),
    '',
    'Targets: ≥ 1,000 successful scans/s through the gateway, p99 ≤ 50 ms at concurrency 32, scan→event p99 ≤ 200 ms.',
    '',
    'CPU per successful scan (ms) in each process: the apps, the PostgreSQL backends of the bench database (not the',
    'shared WAL writer and checkpointer) and the Kafka broker (when the bench has one of its own; – otherwise):',
    '',
    `| concurrency | ${PROCESSES.join(' | ')} | total |`,
    `|---:|${PROCESSES.map(() => '---:').join('|')}|---:|`,
    ...rows.map((r) => {
      const values = PROCESSES.map((name) => r.cpuMsPerScan[name] ?? NaN);
      return `| ${r.connections} | ${values.map((v) => f(v, 2)).join(' | ')} | ${f(
        values.filter(Number.isFinite).reduce((a, b) => a + b, 0),
        2,
      )} |`;
    }),
    '',
    'The same less what each process burns idle (CPU ms per second with no load, last row), i.e. what a scan itself costs:',
    '',
    `| concurrency | ${PROCESSES.join(' | ')} | total |`,
    `|---:|${PROCESSES.map(() => '---:').join('|')}|---:|`,
    ...rows.map((r) => {
      const values = PROCESSES.map((name) => r.marginalMsPerScan[name] ?? NaN);
      return `| ${r.connections} | ${values.map((v) => f(v, 2)).join(' | ')} | ${f(
        values.filter(Number.isFinite).reduce((a, b) => a + b, 0),
        2,
      )} |`;
    }),
    `| idle ms/s | ${PROCESSES.map((name) => f((idle[name] ?? NaN) * 1000, 1)).join(' | ')} | ${f(
      Object.values(idle).reduce((a, b) => a + b, 0) * 1000,
      1,
    )} |`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${error.stack || error.message}\n`);
    process.exit(1);
  },
);
