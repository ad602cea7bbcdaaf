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
// (10), BENCH_PASSES (256), DATABASE_URL, REDIS_URL, KAFKA_BROKERS (the stack's; defaults below).
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { randomBytes, randomUUID } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { checkNodeRuntime } = require('./lib/node-runtime');

const root = path.resolve(__dirname, '..');
const dist = (file) => path.join(root, 'dist', file);
const log = (line) => process.stderr.write(`bench: ${line}\n`);

const BENCH_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
  DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/passway_bench',
  REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379/2',
  KAFKA_BROKERS: process.env.KAFKA_BROKERS || '127.0.0.1:9092',
  KAFKA_CLIENT_ID_PREFIX: process.env.KAFKA_CLIENT_ID_PREFIX || 'passway-bench',
  // NODE_ENV=production refuses the development secrets: a started stack gets random ones.
  PASS_LINK_SECRET: process.env.PASS_LINK_SECRET || randomBytes(32).toString('base64'),
  WEBHOOK_SECRET_KEY: process.env.WEBHOOK_SECRET_KEY || randomBytes(32).toString('base64'),
  // The webhook bench's receiver runs here, on loopback; emails are logged, not sent.
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  EMAIL_PROVIDER: process.env.EMAIL_PROVIDER || 'log',
};
const CONCURRENCY = (process.env.BENCH_CONCURRENCY || '1,8,32').split(',').map(Number);
const DURATION_S = Number(process.env.BENCH_DURATION_S || 10);
const PASS_COUNT = Number(process.env.BENCH_PASSES || 256);
const PGBENCH = process.env.PGBENCH || '/usr/bin/pgbench';
const PROCESSES = ['gateway', 'scans', 'passes', 'webhooks', 'notifications', 'postgres', 'kafka'];

async function main() {
  checkNodeRuntime(log);
  const env = { ...process.env, ...BENCH_ENV };
  let stack;
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
      stack = new Stack({ ports: await freePorts(), env, logDir, label: 'bench' });
      log(`starting the stack (logs in ${path.relative(root, logDir)})`);
      await stack.start();
      gatewayUrl = stack.gatewayUrl;
    }
    await run(env, gatewayUrl);
    await runWebhookBench(env, gatewayUrl);
    await runWalletBench(env);
  } finally {
    if (stack) await stack.stop();
    if (infra) await infra.stop();
  }
}

/** Event → signed webhook delivery (tools/bench/webhooks.bench.ts): latency and deliveries/s. */
async function runWebhookBench(env, gatewayUrl) {
  const { createBenchContext } = require(dist('tools/bench/bench-context'));
  const { benchWebhooks } = require(dist('tools/bench/webhooks.bench'));
  const context = await createBenchContext(gatewayUrl, env);
  try {
    const rows = await benchWebhooks(context);
    const width = Math.max(...rows.map((r) => r.metric.length));
    process.stdout.write(`\nWebhooks\n${'metric'.padEnd(width)}  value\n${'-'.repeat(width)}  ------\n`);
    for (const row of rows) process.stdout.write(`${row.metric.padEnd(width)}  ${row.value}\n`);
  } finally {
    await context.close();
  }
}

/** .pkpass generation and APNs fan-out to the local stand-in (tools/bench/wallet.bench.ts). */
async function runWalletBench(env) {
  const { benchWallet } = require(dist('tools/bench/wallet.bench'));
  const rows = await benchWallet(env);
  const width = Math.max(...rows.map((r) => r.metric.length));
  process.stdout.write(`\nWallet\n${'metric'.padEnd(width)}  value\n${'-'.repeat(width)}  ------\n`);
  for (const row of rows) process.stdout.write(`${row.metric.padEnd(width)}  ${row.value}\n`);
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
  try {
    for (const connections of CONCURRENCY) {
      const cpuBefore = cpuSeconds(env.DATABASE_URL, env.KAFKA_BROKERS);
      const from = new Date();
      const http = await loadGateway(gatewayUrl, apiKey, codes, connections);
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
      });
      log(`concurrency ${connections}: ${rows.at(-1).gatewayRps.toFixed(0)} scans/s through the gateway, ${floor.tps.toFixed(0)} tx/s in pgbench`);
    }
  } finally {
    await lag.stop();
    await cleanUpPgbench(db, pgbench);
    await db.end();
  }
  printTable(rows, { ...conditions, loadAfter: os.loadavg()[0].toFixed(2) });
}

// ---------------------------------------------------------------------------------------------
// Setup

async function createBenchTenant(databaseUrl) {
  require('reflect-metadata');
  const { DataSource } = require('typeorm');
  const { gatewayDataSourceOptions } = require(dist('apps/gateway/src/database/gateway-database'));
  const { TenantsService } = require(dist('apps/gateway/src/tenants/tenants.service'));
  const { ApiKeysService } = require(dist('apps/gateway/src/api-keys/api-keys.service'));
  const dataSource = await new DataSource(gatewayDataSourceOptions(databaseUrl, 2)).initialize();
  try {
    const tenant = await new TenantsService(dataSource).create({ name: `Bench ${new Date().toISOString()}`, rateLimitPerMinute: 10_000_000 });
    const keys = new ApiKeysService(dataSource);
    const admin = await keys.issue(tenant.id, 'admin', 'bench setup');
    const scanner = await keys.issue(tenant.id, 'scanner', 'bench door');
    return { tenantId: tenant.id, adminKey: admin.apiKey, scannerKey: scanner.apiKey };
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

function loadGateway(gatewayUrl, apiKey, codes, connections) {
  const autocannon = require('autocannon');
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${gatewayUrl}/api/v1/scan`,
        connections,
        duration: DURATION_S,
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
  await consumer.subscribe({ topics: [TOPICS.passEvents.name], fromBeginning: false });
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
  let entries = [];
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
// The floor: the same statement as apps/scans/src/redemption/redemption.service.ts (REDEEM_SQL),
// on passes of a tenant of its own, straight from pgbench.

async function preparePgbench(db, passCount) {
  const tenantId = randomUUID();
  await db.query(
    `INSERT INTO scans.admissions (pass_id, tenant_id, code, name, type, status, source_updated_at)
     SELECT gen_random_uuid(), $1, 'PGB' || lpad(n::text, 13, '0'), 'pgbench ' || n, 'multi', 'active', now()
       FROM generate_series(1, $2) AS n`,
    [tenantId, passCount],
  );
  const script = path.join(os.tmpdir(), `passway-bench-redeem-${process.pid}.sql`);
  fs.writeFileSync(script, `\\set n random(1, ${passCount})
WITH ids AS (
  SELECT gen_random_uuid() AS scan_id, gen_random_uuid() AS event_id, now() AS at
), redeemed AS (
  UPDATE scans.admissions
     SET usages_count = usages_count + 1,
         status = CASE WHEN type = 'single' THEN 'used' ELSE status END,
         updated_at = now()
   WHERE code = 'PGB' || lpad(:n::text, 13, '0') AND tenant_id = '${tenantId}'
     AND status = 'active'
     AND (valid_from IS NULL OR valid_from <= now())
     AND (valid_until IS NULL OR valid_until >= now())
     AND (max_usages IS NULL OR usages_count < max_usages)
     AND (event_id IS NULL OR NOT EXISTS (SELECT 1 FROM scans.events e WHERE e.id = scans.admissions.event_id AND e.status = 'suspended'))
  RETURNING pass_id, tenant_id, code, name, type, status, valid_from, valid_until, max_usages, usages_count, event_id
), recorded AS (
  INSERT INTO scans.scans (id, tenant_id, pass_id, code, result, success, channel, method, nonce, api_key_id, usages_count, pass_status, scanned_at)
  SELECT ids.scan_id, tenant_id, pass_id, code, 'success', true, 'online', 'qr_scan', NULL, NULL, usages_count, status, ids.at FROM redeemed, ids
), published AS (
  INSERT INTO scans.outbox (id, topic, key, type, payload, headers)
  SELECT ids.event_id, 'passway.pass-events.v1', pass_id::text, 'pass.scanned',
         jsonb_build_object('id', ids.event_id, 'type', 'pass.scanned', 'tenantId', tenant_id, 'occurredAt', ids.at, 'version', 1)
           || jsonb_build_object('data', jsonb_build_object('id', ids.scan_id, 'code', code, 'success', true, 'result', 'success',
                'scannedAt', ids.at, 'channel', 'online', 'method', 'qr_scan', 'passId', pass_id, 'passName', name, 'passType', type,
                'usagesCount', usages_count, 'maxUsages', max_usages, 'passStatus', status, 'eventId', redeemed.event_id)),
         '{}'::jsonb
    FROM redeemed, ids
)
SELECT * FROM redeemed;
`);
  return { tenantId, script };
}

function runPgbench(databaseUrl, { script }, clients) {
  const url = new URL(databaseUrl);
  const logPrefix = path.join(os.tmpdir(), `passway-bench-pg-${process.pid}-${clients}`);
  const args = [
    '-n', '-M', 'prepared', '-c', String(clients), '-j', String(Math.min(clients, os.cpus().length)), '-T', String(DURATION_S),
    '-f', script, '-l', `--log-prefix=${logPrefix}`,
    '-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), url.pathname.slice(1),
  ];
  const result = spawnSync(PGBENCH, args, { encoding: 'utf8', env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password || '') } });
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

function printTable(rows, conditions) {
  const f = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
  const lines = [
    '',
    `Scan path, ${DURATION_S} s per concurrency, ${PASS_COUNT} unlimited multi passes; ${conditions.cpus} CPUs (${conditions.cpuModel}), load average ${conditions.loadBefore} before, ${conditions.loadAfter} after.`,
    '',
    '| concurrency | gateway successful scans/s | p50 ms | p99 ms | scan→pass.scanned p50 ms | p99 ms | pgbench tx/s | pgbench p50 ms | p99 ms | gateway/pgbench |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) =>
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
      return `| ${r.connections} | ${values.map((v) => f(v, 2)).join(' | ')} | ${f(values.filter(Number.isFinite).reduce((a, b) => a + b, 0), 2)} |`;
    }),
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
