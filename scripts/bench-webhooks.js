#!/usr/bin/env node
// Event → webhook delivery: latency p50/p99 and deliveries/s (tools/bench/webhooks.bench.ts).
// Uses the stack at BENCH_GATEWAY_URL, or starts one (missing infrastructure, migrations, the
// five apps on free ports). `npm run bench` can call benchWebhooks() the same way.
// A started stack allows loopback webhook targets (the receiver runs here) and uses a random
// WEBHOOK_SECRET_KEY and PASS_LINK_SECRET, and logs emails instead of sending them. Environment: DATABASE_URL, REDIS_URL, KAFKA_BROKERS, BENCH_GATEWAY_URL.
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { randomBytes } = require('node:crypto');
const { spawnSync } = require('node:child_process');

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
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_SECRET_KEY: process.env.WEBHOOK_SECRET_KEY || randomBytes(32).toString('base64'),
  PASS_LINK_SECRET: process.env.PASS_LINK_SECRET || randomBytes(32).toString('base64'),
  EMAIL_PROVIDER: process.env.EMAIL_PROVIDER || 'log',
};

async function main() {
  const build = spawnSync(process.execPath, [path.join(__dirname, 'build.js'), '--quiet'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const env = { ...process.env, ...BENCH_ENV };
  let stack;
  let infra;
  let gatewayUrl = process.env.BENCH_GATEWAY_URL;
  try {
    if (!gatewayUrl) {
      const { ensureInfra } = require('./lib/infra');
      infra = await ensureInfra({ log, env });
      await require(dist('tools/migrate')).migrateAll(env, log);
      const { Stack, freePorts } = require(dist('tools/stack'));
      const logDir = path.join(root, 'test-artifacts', 'bench-logs');
      fs.rmSync(logDir, { recursive: true, force: true });
      stack = new Stack({ ports: await freePorts(), env, logDir, label: 'bench' });
      log('starting the stack');
      await stack.start();
      gatewayUrl = stack.gatewayUrl;
    }
    const { createBenchContext } = require(dist('tools/bench/bench-context'));
    const { benchWebhooks } = require(dist('tools/bench/webhooks.bench'));
    const context = await createBenchContext(gatewayUrl, env);
    try {
      const loadBefore = os.loadavg()[0].toFixed(2);
      const rows = await benchWebhooks(context);
      const width = Math.max(...rows.map((r) => r.metric.length));
      process.stdout.write(`\n${'metric'.padEnd(width)}  value\n${'-'.repeat(width)}  ------\n`);
      for (const row of rows) process.stdout.write(`${row.metric.padEnd(width)}  ${row.value}\n`);
      process.stdout.write(`\n${os.cpus().length} CPUs, load ${loadBefore} before, ${os.loadavg()[0].toFixed(2)} after\n`);
    } finally {
      await context.close();
    }
  } finally {
    if (stack) await stack.stop();
    if (infra) await infra.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack || error.message}\n`);
  process.exit(1);
});
