#!/usr/bin/env node
// `npm test`: type-check, build, bring up the real servers (a dedicated Kafka broker, a fresh
// passway_test database, Redis db 1), start one shared stack, then run every unit, integration
// and e2e test with Jest (jest.config.js); arguments go to Jest (`npm test -- scans` runs the files
// whose path matches). Stops what it started, and ends with the line CI reads:
// `jest: N passed, N failed, N skipped`.
const path = require('node:path');
const fs = require('node:fs');
const { spawn, spawnSync } = require('node:child_process');
const { ensureInfra, prepareInfra } = require('./lib/infra');
const { ensureChromium } = require('./lib/chromium');
const { checkNodeRuntime } = require('./lib/node-runtime');

const root = path.resolve(__dirname, '..');
const log = (line) => process.stderr.write(`test: ${line}\n`);

const TEST_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL || 'log',
  DATABASE_URL: process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/passway_test',
  REDIS_URL: process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379/1',
  KAFKA_BROKERS: process.env.TEST_KAFKA_BROKERS || '127.0.0.1:19092',
  KAFKA_CLIENT_ID_PREFIX: 'passway-test',
  PASS_LINK_SECRET: 'test-pass-link-secret-0123456789',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_RETRY_DELAYS_MS: '200,400,800',
  WEBHOOK_SWEEP_INTERVAL_MS: '1000',
  // Holder emails go to a local Resend stand-in (started below); retries and the sweeper run fast.
  EMAIL_PROVIDER: 'resend',
  RESEND_API_KEY: 're_test_passway_0123456789',
  EMAIL_RETRY_BASE_MS: '200',
  EMAIL_SWEEP_INTERVAL_MS: '1000',
  EMAIL_SWEEP_AFTER_MS: '2000',
  // Every test calls from 127.0.0.1: per-IP budgets stay out of the way (test/policies tests them on their own gateways).
  AUTH_FAILURES_PER_IP_PER_MINUTE: '1000000',
  PUBLIC_PAGE_PER_IP_PER_MINUTE: '1000000',
  SELF_CHECKIN_PER_IP_PER_MINUTE: '1000000',
  LOGIN_ATTEMPTS_PER_IP_PER_MINUTE: '1000000',
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} failed`);
}

async function resetTestState(env) {
  const { Client } = require('pg');
  const admin = new URL(env.DATABASE_URL);
  const database = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await client.end();
  const Redis = require('ioredis');
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
  await redis.flushdb();
  redis.disconnect();
}

// `--faults` (npm run test:faults): the fault tests of test/faults instead (each brings its own
// Kafka, and stops, kills or cuts what it likes); they take too long for every `npm test`.
const faults = process.argv.includes('--faults');
const only = process.argv.slice(2).filter((arg) => arg !== '--faults');

async function main() {
  const began = Date.now();
  checkNodeRuntime(log);
  const prepared = prepareInfra({ log, containers: true, testPatterns: process.argv.slice(2) }); // Docker and images, while we build
  rmrf(path.join(root, 'dist'));
  run(process.execPath, [path.join(__dirname, 'build.js')]);
  log('type-checking');
  run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
  run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'apps/console/tsconfig.json', '--noEmit']);

  ensureChromium({ log });
  const { FakeResend } = require(path.join(root, 'dist/test/support/fake-resend'));
  const fakeResend = await new FakeResend(TEST_ENV.RESEND_API_KEY).start();
  const env = { ...process.env, ...TEST_ENV, RESEND_BASE_URL: fakeResend.url, PASSWAY_FAKE_RESEND_URL: fakeResend.url };
  const infra = await ensureInfra({ log, env, containers: true, prepared });
  Object.assign(env, infra.env); // containers listen on ports of their own
  let stack;
  let code = 1;
  try {
    await resetTestState(env);
    const { migrateAll } = require(path.join(root, 'dist/tools/migrate'));
    await migrateAll(env, log);

    const { Stack, freePorts } = require(path.join(root, 'dist/tools/stack'));
    const logDir = path.join(root, 'test-artifacts', 'logs');
    rmrf(logDir);
    // Fault tests start stacks of their own; only the e2e suites share one.
    if (!faults) {
      stack = new Stack({ ports: await freePorts(), env, logDir, label: 'shared' });
      log('starting the shared stack');
      await stack.start();
    }

    const testEnv = stack ? { ...stack.env, PASSWAY_E2E_GATEWAY_URL: stack.gatewayUrl } : env;
    const selection = faults ? ['--testMatch', '**/test/faults/**/*.fault-spec.ts'] : [];
    const junit = { JEST_JUNIT_OUTPUT_NAME: faults ? 'junit-faults.xml' : 'junit.xml' };
    code = await runJest([...selection, ...only], { ...testEnv, ...junit, PASSWAY_TEST_LOG_DIR: logDir });
  } finally {
    if (stack) await stack.stop();
    await fakeResend.stop();
    await infra.stop();
  }
  log(`finished in ${((Date.now() - began) / 1000).toFixed(0)} s`);
  const line = closingLine(code);
  process.stdout.write(`${line}\n`);
  process.exit(code === 0 && / 0 failed/.test(line) ? 0 : 1);
}

const RESULTS_FILE = path.join(root, 'test-artifacts', faults ? 'jest-results-faults.json' : 'jest-results.json');

/** Runs Jest (jest.config.js) with the given arguments: a path pattern runs a subset. Resolves to its exit code. */
function runJest(args, env) {
  fs.rmSync(RESULTS_FILE, { force: true });
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/jest/bin/jest.js'), '--ci', '--json', `--outputFile=${RESULTS_FILE}`, ...args],
      { cwd: root, env, stdio: 'inherit' },
    );
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
}

/**
 * The closing line CI reads: `jest: N passed, N failed, N skipped`. A file that failed to load
 * counts as one failure (its tests never ran), and so does a Jest run that failed without a failing
 * test (no file matched, a crash): the line never says 0 failed when the exit code says otherwise.
 */
function closingLine(jestCode) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (fs.existsSync(RESULTS_FILE)) {
    const results = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8'));
    passed = results.numPassedTests;
    failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    skipped = results.numPendingTests + results.numTodoTests;
  }
  if (jestCode !== 0 && failed === 0) {
    log(`jest exited with code ${jestCode} without a failing test`);
    failed = 1;
  }
  return `jest: ${passed} passed, ${failed} failed, ${skipped} skipped`;
}

function rmrf(target) {
  fs.rmSync(target, { recursive: true, force: true });
}

main().catch((error) => {
  process.stderr.write(`test failed to run: ${error.stack || error.message}\n`);
  process.stdout.write('jest: 0 passed, 1 failed\n');
  process.exit(1);
});
