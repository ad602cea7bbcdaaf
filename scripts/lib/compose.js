'use strict';

// docker-compose.yml driven from the scripts: the infrastructure of `npm start` on a machine
// with Docker but no Java, and the whole stack for the compose e2e test. Where no registry
// answers, the images are the ones scripts/lib/images.js builds, passed in PASSWAY_*_IMAGE.

const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureCompose, ensureDocker } = require('./docker');
const { resolveServerImages, buildAppImage } = require('./images');

const REPO_ROOT = path.resolve(__dirname, '../..');
const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
const HEALTHY_TIMEOUT_MS = 300_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A compose project: run(args) runs `compose -f docker-compose.yml -p NAME args`. */
function composeProject({ name, env, log }) {
  const command = ensureCompose({ log });
  const run = (args, { check = true } = {}) => {
    const result = spawnSync(command[0], [...command.slice(1), '-f', COMPOSE_FILE, '-p', name, ...args], {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (check && result.status !== 0) {
      throw new Error(`compose ${args.join(' ')} failed (exit ${result.status}):\n${(result.stderr || '').slice(-3000)}`);
    }
    return result;
  };
  const containerOf = (service) => run(['ps', '-q', service]).stdout.trim();
  const health = (service) => {
    const id = containerOf(service);
    if (!id) return 'missing';
    const inspect = spawnSync(
      'docker',
      ['inspect', '--format', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', id],
      { encoding: 'utf8' },
    );
    return inspect.stdout.trim();
  };
  /** Resolves once every service is running and healthy; fails early if one exits. */
  const waitHealthy = async (services, timeoutMs = HEALTHY_TIMEOUT_MS) => {
    const deadline = Date.now() + timeoutMs;
    let states;
    while (Date.now() < deadline) {
      states = services.map((service) => [service, health(service)]);
      const exited = states.find(([, state]) => /^(exited|dead)/.test(state));
      if (exited)
        throw new Error(`compose: ${exited[0]} ${exited[1]}:\n${run(['logs', '--tail', '30', exited[0]], { check: false }).stdout}`);
      if (states.every(([, state]) => state === 'running healthy')) return;
      await sleep(1000);
    }
    throw new Error(`compose: not healthy within ${timeoutMs / 1000} s: ${states.map(([s, state]) => `${s} ${state}`).join(', ')}`);
  };
  return { name, command, run, containerOf, waitHealthy, down: () => run(['down', '--volumes', '--remove-orphans'], { check: false }) };
}

/** PASSWAY_*_IMAGE for the compose file: the official defaults, or the images built here. */
async function imageEnv({ log, env, withApp, appTag }) {
  await ensureDocker({ log, env });
  const { source, images } = await resolveServerImages({ log, env });
  const result = {};
  if (source === 'local') {
    Object.assign(result, {
      PASSWAY_POSTGRES_IMAGE: images.postgres,
      PASSWAY_REDIS_IMAGE: images.redis,
      PASSWAY_KAFKA_IMAGE: images.kafka,
    });
  }
  if (withApp) {
    const app = await buildAppImage({ log, env, tag: appTag });
    Object.assign(result, { PASSWAY_IMAGE: app.tag, PASSWAY_BUILD_BASE: app.buildBase });
  }
  return { source, env: result };
}

const INFRA_SERVICES = ['postgres', 'redis', 'kafka'];
/** The apps' database roles, as docker-compose.yml names them (DATABASE_URL_<APP>). */
const APP_SCHEMAS = ['gateway', 'passes', 'scans', 'webhooks', 'notifications'];

/**
 * The infrastructure of `npm start` through compose (project "passway", or PASSWAY_COMPOSE_PROJECT; named volumes, so
 * data outlives a restart). Returns the handle ensureInfra returns: { started, stop, exited, env }.
 */
async function startComposeInfra({ log, env = process.env }) {
  const images = await imageEnv({ log, env, withApp: false });
  const composeEnv = { ...env, ...images.env };
  const project = composeProject({ name: env.PASSWAY_COMPOSE_PROJECT || 'passway', env: composeEnv, log });
  log(`compose: starting ${INFRA_SERVICES.join(', ')} (${project.command.join(' ')} -p ${project.name})`);
  project.run(['up', '-d', '--no-build', ...INFRA_SERVICES]);
  await project.waitHealthy(INFRA_SERVICES);
  const port = (name, fallback) => composeEnv[name] || fallback;
  const database = (user) => `postgres://${user}@127.0.0.1:${port('PASSWAY_POSTGRES_PORT', 55432)}/passway`;
  // Each app connects as its own role, with the password docker-compose.yml gives it (the server
  // asks for one: it is reached over TCP from outside its container). migrate sets them.
  const appDatabases = Object.fromEntries(
    APP_SCHEMAS.map((app) => [`DATABASE_URL_${app.toUpperCase()}`, database(`passway_${app}:local-${app}`)]),
  );
  return {
    started: INFRA_SERVICES.map((service) => `${service} (compose)`),
    stop: async () => {
      project.run(['stop', ...INFRA_SERVICES], { check: false });
      log('compose: stopped postgres, redis, kafka (data kept in the compose volumes)');
    },
    exited: new Promise(() => {}),
    description: `compose (${images.source === 'registry' ? 'official images' : 'images built locally'})`,
    env: {
      DATABASE_URL: database('postgres:passway'),
      ...appDatabases,
      REDIS_URL: `redis://127.0.0.1:${port('PASSWAY_REDIS_PORT', 56379)}`,
      KAFKA_BROKERS: `localhost:${port('PASSWAY_KAFKA_PORT', 29092)}`,
    },
  };
}

module.exports = { composeProject, imageEnv, startComposeInfra, COMPOSE_FILE };
