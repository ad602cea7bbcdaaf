#!/usr/bin/env node
// `npm start`: build, bring up whatever infrastructure is not already reachable, migrate,
// start the five apps, print the gateway URL. Ctrl-C stops what this script started.
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureInfra } = require('./lib/infra');
const { devWalletIdentity } = require('./lib/dev-wallet-identity');
const { checkNodeRuntime } = require('./lib/node-runtime');

const root = path.resolve(__dirname, '..');
const log = (line) => process.stderr.write(`start: ${line}\n`);

async function main() {
  const began = Date.now();
  checkNodeRuntime(log);
  // PASSWAY_SKIP_BUILD=1 starts what dist/ holds (npm test's own runs of npm start: it built dist/ already).
  if (process.env.PASSWAY_SKIP_BUILD === '1') log('build: skipped (PASSWAY_SKIP_BUILD=1), starting what dist/ holds');
  else {
    const build = spawnSync(process.execPath, [path.join(__dirname, 'build.js'), '--quiet'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }

  require('reflect-metadata');
  const { loadConfig, sharedSettings } = require(path.join(root, 'dist/libs/common/src'));
  loadConfig(sharedSettings); // a bad setting stops here with one line per problem
  const wallet = devWalletIdentity(root, process.env);
  Object.assign(process.env, wallet.env);
  if (wallet.line) log(wallet.line);

  // The apps write to a pipe (the stack prefixes their lines): they learn from here whether a person reads them.
  process.env.LOG_FORMAT ||= process.stdout.isTTY ? 'pretty' : 'json';
  const infra = await ensureInfra({ log });
  Object.assign(process.env, infra.env); // compose's servers listen on ports of their own
  let stack;
  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping apps${infra.started.length ? ` and ${infra.started.join(', ')}` : ''}`);
    if (stack) await stack.stop();
    await infra.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const { migrateAll } = require(path.join(root, 'dist/tools/migrate'));
  await migrateAll(process.env, log);

  const { Stack, portsFromEnv } = require(path.join(root, 'dist/tools/stack'));
  const ports = portsFromEnv(process.env);
  stack = new Stack({ ports, env: process.env });
  await stack.start();
  const publicUrl = process.env.PUBLIC_BASE_URL || `http://localhost:${ports.gateway}`;
  // stack.start() returns once every app is ready: consumers hold their partitions and have caught up.
  log(`all five apps are up in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  process.stdout.write(
    `\nPassway gateway: ${publicUrl}  (API: ${publicUrl}/api/v1, health: ${publicUrl}/health)\nPress Ctrl-C to stop.\n\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`start failed: ${error.message}\n`);
  process.exit(1);
});
