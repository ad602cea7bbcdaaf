#!/usr/bin/env node
// `npm test`: type-check, lint and format-check (ESLint and Prettier, on a full run), build, bring up
// the real servers (PostgreSQL, Redis and Kafka in containers, or local servers: scripts/lib/infra.js
// says which and why), start one shared stack, then run every unit, integration and e2e test with
// Jest (jest.config.js); arguments go to Jest (`npm test -- scans` runs the files whose path
// matches). Stops what it started, and ends with the line CI reads: `jest: N passed, N failed, N skipped`.
const path = require('node:path');
const fs = require('node:fs');
const { spawn, spawnSync } = require('node:child_process');
const { ensureInfra, prepareInfra } = require('./lib/infra');
const { ensureChromium } = require('./lib/chromium');
const { startWalletStandIns } = require('./lib/wallet-stand-ins');
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
  DEVICE_PAIRING_PER_IP_PER_MINUTE: '1000000',
  PORTAL_PER_IP_PER_MINUTE: '1000000',
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
  checkLintAndFormat();

  ensureChromium({ log });
  const { FakeResend } = require(path.join(root, 'dist/test/support/fake-resend'));
  // Stand-ins for the outside services (Resend, APNs, Google Wallet), one set per lane: tests script
  // their answers (a 500, then a 200) and read what they received, so two lanes must not share them.
  const standIns = async () => {
    const resend = await new FakeResend(TEST_ENV.RESEND_API_KEY).start();
    const wallet = await startWalletStandIns(root);
    return {
      env: { ...wallet.env, RESEND_BASE_URL: resend.url, PASSWAY_FAKE_RESEND_URL: resend.url },
      stop: async () => {
        await resend.stop();
        await wallet.stop();
      },
    };
  };
  const outside = await standIns();
  const ownServersOutside = lanes().some((lane) => lane.name === 'own servers') ? await standIns() : undefined;
  const env = { ...process.env, ...TEST_ENV, ...outside.env };
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
      await stack.start(240_000); // a loaded machine: containers answer through Docker's proxy
    }

    const testEnv = { ...(stack ? { ...stack.env, PASSWAY_E2E_GATEWAY_URL: stack.gatewayUrl } : env), PASSWAY_TEST_LOG_DIR: logDir };
    code = await runLanes(testEnv, { 'own servers': ownServersOutside?.env ?? {} });
  } finally {
    if (stack) await stack.stop();
    await outside.stop();
    await ownServersOutside?.stop();
    await infra.stop();
  }
  log(`finished in ${((Date.now() - began) / 1000).toFixed(0)} s; servers: ${infra.description}`);
  const line = closingLine(code);
  process.stdout.write(`${line}\n`);
  process.exit(code === 0 && / 0 failed/.test(line) ? 0 : 1);
}

/**
 * ESLint (eslint.config.mjs) and Prettier (.prettierrc.json) over the whole tree, exactly as
 * `npm run lint` and `npm run format:check` run them: a finding fails the run before any server
 * starts. A subset run (`npm test -- <pattern>`, `--faults`) skips them: it is for iterating on a
 * few tests, and the full run (what CI runs) enforces them.
 */
function checkLintAndFormat() {
  if (only.length > 0 || faults) {
    log('lint and format: skipped for a subset run (`npm run lint && npm run format:check` runs them)');
    return;
  }
  const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const bins = { eslint: 'node_modules/eslint/bin/eslint.js', prettier: 'node_modules/prettier/bin/prettier.cjs' };
  for (const name of ['lint', 'format:check']) {
    const [tool, ...args] = scripts[name].split(/\s+/);
    log(`${name}: ${scripts[name]}`);
    const result = spawnSync(process.execPath, [path.join(root, bins[tool]), ...args], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
      const fix = name === 'lint' ? 'fix the findings listed above' : 'run `npx prettier --write` on the files listed above';
      throw new Error(`\`npm run ${name}\` (${scripts[name]}) failed: ${fix}, then run npm test again`);
    }
  }
}

/**
 * One Jest process per lane, side by side. A full run has two (test/lanes.js): the files that bring
 * servers of their own, and those that share the stack; each runs one file at a time, so the
 * machine's waits (brokers and containers starting, Chromium) overlap. The own-servers lane's lines
 * carry a `[own servers]` prefix. A subset run (`npm test -- <pattern>`) and the fault tests are one lane.
 */
function lanes() {
  // The path patterns first: --testMatch is an array option and would take the patterns after it as globs of its own.
  if (faults) return [{ name: 'faults', args: [...only, '--testMatch=**/test/faults/**/*.fault-spec.ts'] }];
  if (only.length > 0) return [{ name: 'subset', args: only }];
  const { OWN_SERVERS_PATTERN } = require(path.join(root, 'test/lanes'));
  const isolatedRedisDb = Number(process.env.TEST_ISOLATED_REDIS_DB ?? 15);
  return [
    {
      name: 'shared stack',
      args: ['--testPathIgnorePatterns', '/node_modules/', OWN_SERVERS_PATTERN],
      env: { TEST_ISOLATED_REDIS_DB: String((isolatedRedisDb + 15) % 16) },
    },
    {
      name: 'own servers',
      args: [OWN_SERVERS_PATTERN],
      prefix: '[own servers] ',
      env: { TEST_ISOLATED_REDIS_DB: String(isolatedRedisDb) },
    },
  ];
}

const resultsFile = (lane) =>
  path.join(root, 'test-artifacts', `jest-results${lane === 'faults' ? '-faults' : lane === 'own servers' ? '-own-servers' : ''}.json`);
const junitName = (lane) => `junit${lane === 'faults' ? '-faults' : lane === 'own servers' ? '-own-servers' : ''}.xml`;

/** Runs every lane; resolves to 0 when each Jest exited 0. */
async function runLanes(env, laneEnv) {
  const selected = lanes();
  const codes = await Promise.all(
    selected.map((lane) => runJest(lane, { ...env, ...lane.env, ...laneEnv[lane.name], JEST_JUNIT_OUTPUT_NAME: junitName(lane.name) })),
  );
  return codes.find((code) => code !== 0) ?? 0;
}

/** Runs Jest (jest.config.js) for one lane. Resolves to its exit code. */
function runJest(lane, env) {
  const output = resultsFile(lane.name);
  fs.rmSync(output, { force: true });
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/jest/bin/jest.js'), '--ci', '--json', `--outputFile=${output}`, ...lane.args],
      { cwd: root, env, stdio: lane.prefix ? ['inherit', 'pipe', 'pipe'] : 'inherit' },
    );
    if (lane.prefix) {
      prefixLines(child.stdout, process.stdout, lane.prefix);
      prefixLines(child.stderr, process.stderr, lane.prefix);
    }
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
}

function prefixLines(from, to, prefix) {
  require('node:readline')
    .createInterface({ input: from, crlfDelay: Infinity })
    .on('line', (line) => to.write(`${prefix}${line}\n`));
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
  for (const lane of lanes()) {
    const file = resultsFile(lane.name);
    if (!fs.existsSync(file)) {
      log(`jest (${lane.name}) wrote no results`);
      failed += 1;
      continue;
    }
    const results = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests + results.numRuntimeErrorTestSuites;
    skipped += results.numPendingTests + results.numTodoTests;
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
