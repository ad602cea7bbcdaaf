'use strict';

// Makes sure PostgreSQL, Redis and Kafka are reachable for local development,
// tests and CI, starting whatever is missing on this machine. Only processes
// started here are stopped by the returned stop().

const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { pathToFileURL } = require('node:url');

const REPO_ROOT = path.resolve(__dirname, '../..');
const KAFKA_POM = path.join(REPO_ROOT, 'infra', 'kafka', 'pom.xml');
const KAFKA_CACHE_DIR = path.join(REPO_ROOT, '.cache', 'kafka');
const KAFKA_LIBS_DIR = path.join(KAFKA_CACHE_DIR, 'libs');
const KAFKA_CLUSTER_ID_FILE = path.join(KAFKA_CACHE_DIR, 'cluster-id');

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/passway';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';

const DEFAULT_PORTS = { postgres: 5432, postgresql: 5432, redis: 6379, rediss: 6379, kafka: 9092 };
const LOCAL_HOSTS = new Set(['localhost', '::1', '0.0.0.0', '::']);

const POSTGRES_START_TIMEOUT_MS = 30_000;
const REDIS_START_TIMEOUT_MS = 10_000;
const KAFKA_START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 20_000;

const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (sinceMs) => `${((Date.now() - sinceMs) / 1000).toFixed(1)}s`;

// ---------------------------------------------------------------------------
// Addresses and ports

/** Accepts full URLs (postgres://u@h:5432/db) as well as bare "host:port". */
function parseUrlHostPort(value, defaultPort) {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  const url = new URL(hasScheme ? value : `tcp://${value}`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  const port = url.port ? Number(url.port) : (defaultPort ?? DEFAULT_PORTS[url.protocol.slice(0, -1)]);
  if (!port) throw new Error(`no port in "${value}" and no default for it`);
  return { host, port };
}

function isLocalHost(host) {
  return LOCAL_HOSTS.has(host.toLowerCase()) || host.startsWith('127.');
}

function canConnect(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (reachable) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** Resolves true as soon as host:port accepts TCP connections, false after timeoutMs. */
async function waitForPort(host, port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(host, port)) return true;
    await sleep(250);
  }
  return false;
}

// ---------------------------------------------------------------------------
// Child processes

/** Runs a command to completion, passing each output line to onLine. */
function runCommand(command, args, { env, cwd, onLine = () => {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = [];
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        onLine(line);
      });
    }
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output: lines.join('\n') }));
  });
}

/**
 * Spawns a long-running process that we own. `exited` resolves once it is gone
 * (including when it could not be spawned at all), and `exit` then holds why.
 */
function spawnOwned(name, command, args, options) {
  // Its own process group: a Ctrl-C in the terminal must not stop the broker before the apps have
  // left their consumer groups (the launcher stops the apps first, then what it started here).
  const child = spawn(command, args, { ...options, detached: true });
  const owned = { name, child, exit: null };
  // Safety net if our Node process exits without stop(). SIGTERM, not SIGKILL: the
  // child then finishes a clean shutdown on its own, so the next start is fast.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  owned.exited = new Promise((resolve) => {
    const settle = (exit) => {
      process.removeListener('exit', killOnExit);
      owned.exit ??= exit;
      resolve(owned.exit);
    };
    child.once('error', (error) => settle({ error }));
    child.once('exit', (code, signal) => settle({ code, signal }));
  });
  return owned;
}

function describeExit({ error, code, signal }) {
  if (error) return error.message;
  return signal ? `killed by ${signal}` : `exited with code ${code}`;
}

async function exitsWithin(owned, timeoutMs) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([owned.exited.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function stopOwned(owned, log) {
  if (owned.exit) return;
  const startedAt = Date.now();
  owned.child.kill('SIGTERM');
  if (!(await exitsWithin(owned, STOP_GRACE_MS))) {
    log(`${owned.name}: did not stop within ${STOP_GRACE_MS / 1000}s, killing it`);
    owned.child.kill('SIGKILL');
    await owned.exited;
  }
  log(`${owned.name}: stopped in ${seconds(startedAt)} (pid ${owned.child.pid} ${describeExit(owned.exit)})`);
}

/** The { started, stop, exited } handle over the processes we own, stopped in reverse order. */
function handleFor(ownedProcesses, log) {
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      for (const owned of [...ownedProcesses].reverse()) await stopOwned(owned, log);
    })();
    return stopping;
  };
  const exited = ownedProcesses.length
    ? Promise.race(ownedProcesses.map((owned) => owned.exited.then((exit) => ({ name: owned.name, ...exit }))))
    : new Promise(() => {});
  return { started: ownedProcesses.map((owned) => owned.name), stop, exited };
}

// ---------------------------------------------------------------------------
// PostgreSQL: a system cluster, so we start it with pg_ctlcluster but never stop it.

async function ensurePostgres({ log, env }) {
  const { host, port } = parseUrlHostPort(env.DATABASE_URL || DEFAULT_DATABASE_URL, 5432);
  if (await canConnect(host, port)) {
    log(`postgres: reachable at ${host}:${port}`);
    return;
  }
  if (!isLocalHost(host)) throw new Error(`postgres: ${host}:${port} (DATABASE_URL) is unreachable`);

  log(`postgres: not reachable at ${host}:${port}, starting the local cluster with pg_ctlcluster`);
  for (const version of listPostgresVersions()) {
    await runCommand('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { env }).catch(() => {});
  }
  if (!(await waitForPort(host, port, POSTGRES_START_TIMEOUT_MS))) {
    throw new Error(
      `postgres: ${host}:${port} still unreachable after ${POSTGRES_START_TIMEOUT_MS / 1000}s; ` +
        'start PostgreSQL yourself or point DATABASE_URL at a running server',
    );
  }
  log(`postgres: reachable at ${host}:${port} (started with pg_ctlcluster, left running)`);
}

function listPostgresVersions() {
  try {
    return fs.readdirSync('/etc/postgresql');
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------
// Redis

async function ensureRedis({ log, env }) {
  const { host, port } = parseUrlHostPort(env.REDIS_URL || DEFAULT_REDIS_URL, 6379);
  if (await canConnect(host, port)) {
    log(`redis: reachable at ${host}:${port}`);
    return null;
  }
  if (!isLocalHost(host)) throw new Error(`redis: ${host}:${port} (REDIS_URL) is unreachable`);

  log(`redis: not reachable at ${host}:${port}, starting redis-server`);
  const redis = spawnOwned('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const outputTail = captureOutputTail(redis.child);
  try {
    await waitForRedisPong(redis, port);
  } catch (error) {
    await stopOwned(redis, log);
    if (redis.exit?.error?.code === 'ENOENT') {
      throw new Error('redis: redis-server is not installed (not on PATH); install Redis or set REDIS_URL');
    }
    throw new Error(`${error.message}\n${outputTail()}`);
  }
  log(`redis: started on 127.0.0.1:${port} (pid ${redis.child.pid})`);
  return redis;
}

async function waitForRedisPong(redis, port) {
  const deadline = Date.now() + REDIS_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (redis.exit) throw new Error(`redis: redis-server ${describeExit(redis.exit)}`);
    if (await redisAnswersPing('127.0.0.1', port)) return;
    await sleep(100);
  }
  throw new Error(`redis: no PONG on 127.0.0.1:${port} within ${REDIS_START_TIMEOUT_MS / 1000}s`);
}

function redisAnswersPing(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let reply = '';
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
    socket.once('error', () => finish(false));
  });
}

/** Keeps draining the child's pipes (so it never blocks on a full pipe) and remembers the end. */
function captureOutputTail(child, maxChars = 4000) {
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk).slice(-maxChars);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return () => tail;
}

// ---------------------------------------------------------------------------
// Kafka: a single-node KRaft broker (combined broker + controller) from Maven jars.

async function startKafkaIfNeeded({ log, env }) {
  const brokers = (env.KAFKA_BROKERS || DEFAULT_KAFKA_BROKERS)
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const { host, port } = parseUrlHostPort(brokers[0], 9092);
  if (await canConnect(host, port)) {
    log(`kafka: reachable at ${host}:${port}`);
    return null;
  }
  if (!isLocalHost(host)) throw new Error(`kafka: ${host}:${port} (KAFKA_BROKERS) is unreachable`);

  const jarsMissing = !hasKafkaJars();
  log(`kafka: starting single-node KRaft broker on 127.0.0.1:${port}` + (jarsMissing ? ' (first start downloads jars via Maven)' : ''));
  if (jarsMissing) await downloadKafkaJars({ log, env });

  const startedAt = Date.now();
  const files = writeKafkaConfig(port);
  rotateLog(files.logFile);
  await formatKafkaStorageIfNeeded(files, env);
  const kafka = spawnKafka(files, env);
  try {
    await waitForKafkaBroker(kafka, { host, port, logFile: files.logFile });
  } catch (error) {
    await stopOwned(kafka, log);
    throw error;
  }
  log(`kafka: ready in ${seconds(startedAt)} (pid ${kafka.child.pid}, log ${path.relative(REPO_ROOT, files.logFile)})`);
  return kafka;
}

/** Fetches the Kafka jars into .cache/kafka/libs with Maven unless they are there. */
async function ensureKafkaJars({ log, env = process.env }) {
  if (!hasKafkaJars()) await downloadKafkaJars({ log, env });
}

function hasKafkaJars() {
  try {
    return fs.readdirSync(KAFKA_LIBS_DIR).some((file) => /^kafka_2\.13-.*\.jar$/.test(file));
  } catch {
    return false;
  }
}

async function downloadKafkaJars({ log, env }) {
  const startedAt = Date.now();
  const args = [
    '-q',
    '-B',
    '-f',
    KAFKA_POM,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${KAFKA_LIBS_DIR}`,
  ];
  const logLine = (line) => {
    const text = stripAnsi(line).trim(); // mvn -q still emits colour resets on empty lines
    if (text) log(`kafka: mvn: ${text}`);
  };
  const { code } = await runCommand('mvn', args, { env, cwd: REPO_ROOT, onLine: logLine }).catch((error) => {
    if (error.code === 'ENOENT') throw new Error('kafka: Maven (mvn) is not installed; it is needed to fetch the Kafka jars');
    throw error;
  });
  if (code !== 0 || !hasKafkaJars()) throw new Error(`kafka: mvn could not fetch the Kafka jars (exit code ${code})`);
  log(`kafka: jars fetched into ${path.relative(REPO_ROOT, KAFKA_LIBS_DIR)} in ${seconds(startedAt)}`);
}

/** Files are per port so that brokers on different ports never share config, data or logs. */
function writeKafkaConfig(port) {
  const files = {
    serverProperties: path.join(KAFKA_CACHE_DIR, `server-${port}.properties`),
    log4jProperties: path.join(KAFKA_CACHE_DIR, `log4j-${port}.properties`),
    logFile: path.join(KAFKA_CACHE_DIR, `server-${port}.log`),
    dataDir: path.join(KAFKA_CACHE_DIR, `data-${port}`),
  };
  fs.mkdirSync(KAFKA_CACHE_DIR, { recursive: true });
  fs.writeFileSync(files.serverProperties, kafkaServerProperties(port, files.dataDir));
  fs.writeFileSync(files.log4jProperties, kafkaLog4jProperties(files.logFile));
  return files;
}

function kafkaServerProperties(port, dataDir) {
  const controllerPort = port + 1;
  const settings = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': dataDir,
    'num.partitions': 3,
    'auto.create.topics.enable': false,
    'delete.topic.enable': true,
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'min.insync.replicas': 1,
    'group.initial.rebalance.delay.ms': 0,
    // A single dev broker: internal topics with one partition are created in
    // milliseconds instead of seconds, and fewer threads/buffers keep it light.
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.num.partitions': 1,
    // After a crash the new broker incarnation must wait for the old one's session
    // to expire before it may register (9 s by default).
    'broker.heartbeat.interval.ms': 1000,
    'broker.session.timeout.ms': 4000,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'background.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
    'log.segment.bytes': 64 * 1024 * 1024,
    'log.retention.hours': 24,
    'log.retention.check.interval.ms': 60_000,
  };
  return Object.entries(settings)
    .map(([key, value]) => `${key}=${value}\n`)
    .join('');
}

function kafkaLog4jProperties(logFile) {
  return [
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${logFile}`,
    'log4j.appender.file.Append=true',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    // Per-partition state changes and request logs drown out everything else.
    'log4j.logger.state.change.logger=WARN',
    'log4j.logger.kafka.request.logger=WARN',
    '',
  ].join('\n');
}

/** Keeps the previous run's log next to the new one, so the tail we report is this run's. */
function rotateLog(logFile) {
  if (fs.existsSync(logFile)) fs.renameSync(logFile, `${logFile}.1`);
}

async function formatKafkaStorageIfNeeded(files, env) {
  if (fs.existsSync(path.join(files.dataDir, 'meta.properties'))) return;
  const args = [
    ...javaLogArgs(files),
    '-cp',
    kafkaClasspath(),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    kafkaClusterId(),
    '-c',
    files.serverProperties,
    '--ignore-formatted',
  ];
  const { code, output } = await runCommand(javaCommand(env), args, { env, cwd: KAFKA_CACHE_DIR }).catch((error) => {
    if (error.code === 'ENOENT') throw new Error(`kafka: ${javaCommand(env)} not found; Kafka needs Java 17 or newer`);
    throw error;
  });
  if (code !== 0) throw new Error(`kafka: formatting ${files.dataDir} failed (exit code ${code}):\n${output}`);
}

function kafkaClusterId() {
  if (fs.existsSync(KAFKA_CLUSTER_ID_FILE)) return fs.readFileSync(KAFKA_CLUSTER_ID_FILE, 'utf8').trim();
  let clusterId;
  // Like Kafka's Uuid.randomUuid(): an id starting with "-" would be parsed as a CLI option.
  do clusterId = crypto.randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-'));
  fs.writeFileSync(KAFKA_CLUSTER_ID_FILE, `${clusterId}\n`);
  return clusterId;
}

function spawnKafka(files, env) {
  const logFd = fs.openSync(files.logFile, 'a');
  try {
    const args = [
      '-Xms256m',
      '-Xmx768m',
      '-XX:+UseG1GC',
      ...javaLogArgs(files),
      '-cp',
      kafkaClasspath(),
      'kafka.Kafka',
      files.serverProperties,
    ];
    return spawnOwned('kafka', javaCommand(env), args, { env, cwd: KAFKA_CACHE_DIR, stdio: ['ignore', logFd, logFd] });
  } finally {
    fs.closeSync(logFd); // the child holds its own copy
  }
}

const javaLogArgs = (files) => [`-Dlog4j.configuration=${pathToFileURL(files.log4jProperties).href}`];
const kafkaClasspath = () => path.join(KAFKA_LIBS_DIR, '*');
const javaCommand = (env) => (env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java');

/** An open port is not enough: the broker must answer metadata requests. */
async function waitForKafkaBroker(kafka, { host, port, logFile }) {
  const { Kafka, logLevel } = require('kafkajs');
  const client = new Kafka({
    clientId: 'passway-infra',
    brokers: [`${host}:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + KAFKA_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (kafka.exit) throw kafkaStartupError(`broker ${describeExit(kafka.exit)} during startup`, logFile);
    if ((await canConnect(host, port, 500)) && (await brokerAnswers(client))) return;
    await sleep(250);
  }
  throw kafkaStartupError(`broker not ready after ${KAFKA_START_TIMEOUT_MS / 1000}s`, logFile);
}

async function brokerAnswers(client) {
  const admin = client.admin();
  try {
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    return brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** The first ERROR lines usually name the cause; the tail usually ends in a stack trace. */
function kafkaStartupError(problem, logFile) {
  let lines;
  try {
    lines = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n');
  } catch (error) {
    return new Error(`kafka: ${problem}; cannot read ${logFile}: ${error.message}`);
  }
  const errors = lines.filter((line) => /^\[[^\]]+\] (ERROR|FATAL) /.test(line)).slice(0, 5);
  return new Error(
    `kafka: ${problem}; see ${logFile}\n` +
      (errors.length ? `first errors:\n${errors.join('\n')}\n` : '') +
      `last lines:\n${lines.slice(-20).join('\n')}`,
  );
}

// ---------------------------------------------------------------------------
// Entry points

/** Starts Kafka only if KAFKA_BROKERS' first broker is local and not running yet. */
async function ensureKafka({ log = console.error, env = process.env } = {}) {
  const kafka = await startKafkaIfNeeded({ log, env });
  return handleFor(kafka ? [kafka] : [], log);
}

/**
 * Local servers: makes PostgreSQL, Redis and Kafka reachable on this machine, starting
 * what is missing. Returns { started, stop, exited }.
 */
async function ensureLocalServers({ log, env }) {
  const owned = [];
  try {
    await ensurePostgres({ log, env });
    const redis = await ensureRedis({ log, env });
    if (redis) owned.push(redis);
    const kafka = await startKafkaIfNeeded({ log, env });
    if (kafka) owned.push(kafka);
  } catch (error) {
    await handleFor(owned, log).stop();
    throw error;
  }
  return handleFor(owned, log);
}

// Testcontainers 12 (its undici) loads on Node 22.19 and newer only.
const CONTAINERS_MIN_NODE = [22, 19];

function nodeRunsTestcontainers() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major > CONTAINERS_MIN_NODE[0] || (major === CONTAINERS_MIN_NODE[0] && minor >= CONTAINERS_MIN_NODE[1]);
}

/**
 * Servers in containers (Testcontainers): a Docker engine is made to answer (installed
 * and started when missing), the images are the official ones or built here, and the
 * containers are private to this run. Returns the handle plus the URLs to use.
 */
async function startContainerServers({ log, env, prepared }) {
  const { ensureDocker } = require('./docker');
  const { resolveServerImages } = require('./images');
  const { startTestServers } = require('./containers');
  const { engine, source, images } = (await prepared?.catch(() => null)) ?? {
    engine: await ensureDocker({ log, env }),
    ...(await resolveServerImages({ log, env })),
  };
  const servers = await startTestServers({ images, log });
  // Keep the database name and Redis db of the configured URLs; host, port and credentials are the containers'.
  const database = new URL(env.DATABASE_URL || DEFAULT_DATABASE_URL).pathname.slice(1) || 'passway';
  const redisDb = new URL(env.REDIS_URL || DEFAULT_REDIS_URL).pathname.slice(1) || '0';
  const description =
    `containers (Testcontainers on Docker ${engine.version}; ` +
    (source === 'registry' ? 'official images from the registry' : 'no registry answers: images built locally from Debian') +
    ')';
  return {
    started: ['postgres container', 'redis container', 'kafka container'],
    stop: servers.stop,
    exited: new Promise(() => {}),
    description,
    images,
    env: {
      DATABASE_URL: `${servers.urls.postgres}/${database}`,
      REDIS_URL: `${servers.urls.redis}/${redisDb}`,
      KAFKA_BROKERS: servers.urls.kafkaBrokers,
      // For tests that start servers of their own (the Kafka cluster helper).
      PASSWAY_KAFKA_IMAGE: images.kafka,
      PASSWAY_INFRA: 'containers',
    },
  };
}

function javaFound(env) {
  if (env.JAVA_HOME) return fs.existsSync(path.join(env.JAVA_HOME, 'bin', 'java'));
  return (env.PATH || '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, 'java')));
}

/** The variables that point `npm test` at servers of one's own (several checkouts testing side by side). */
const TEST_SERVER_VARIABLES = ['TEST_DATABASE_URL', 'TEST_REDIS_URL', 'TEST_KAFKA_BROKERS'];

/**
 * How the servers are provided when PASSWAY_INFRA does not say. For tests: containers (Docker
 * installed and started here when root on Debian; a clear failure when it cannot be had), but
 * local servers when TEST_DATABASE_URL, TEST_REDIS_URL or TEST_KAFKA_BROKERS name servers to use.
 * For `npm start`: local servers, except on a machine with no Java (Kafka's local path needs it):
 * there docker-compose.yml's.
 */
function defaultInfraMode({ env, containers }) {
  if (containers) return TEST_SERVER_VARIABLES.some((name) => env[name]) ? 'local' : 'containers';
  return javaFound(env) ? 'local' : 'compose';
}

/** Why ensureInfra took the path it did, for the `infra:` line. */
function modeReason({ env, containers }) {
  if (env.PASSWAY_INFRA) return `PASSWAY_INFRA=${env.PASSWAY_INFRA}`;
  if (containers) {
    const named = TEST_SERVER_VARIABLES.filter((name) => env[name]);
    return named.length ? `${named.join(', ')} set; PASSWAY_INFRA=containers for containers` : 'default';
  }
  return javaFound(env) ? 'default' : 'no Java on this machine';
}

/**
 * Makes PostgreSQL, Redis and Kafka reachable. PASSWAY_INFRA picks how:
 * - `containers`: private servers in containers (Testcontainers); fails if Docker cannot be had;
 * - `compose`: postgres, redis and kafka of docker-compose.yml (project "passway");
 * - `local`: servers on this machine, started when missing (pg_ctlcluster, redis-server, Kafka from Maven jars);
 * - `auto`: containers when Docker can be had, else local.
 * Unset: see defaultInfraMode. Returns { started, stop, exited, env, description }: `env` holds the
 * DATABASE_URL, REDIS_URL and KAFKA_BROKERS to use (containers get ports of their own), `stop()`
 * stops exactly what was started, `exited` settles if a server we started exits on its own.
 */
async function ensureInfra({ log = console.error, env = process.env, containers = false, prepared } = {}) {
  const mode = env.PASSWAY_INFRA || defaultInfraMode({ env, containers });
  if (!['auto', 'containers', 'compose', 'local'].includes(mode)) {
    throw new Error(`PASSWAY_INFRA must be auto, containers, compose or local, not "${mode}"`);
  }
  const reason = modeReason({ env, containers });
  log(`infra: mode ${mode} (${reason})`);
  if (mode === 'compose') {
    const { startComposeInfra } = require('./compose');
    const infra = await startComposeInfra({ log, env });
    log(`infra: ${infra.description}`);
    return infra;
  }
  if (mode !== 'local') {
    if (!nodeRunsTestcontainers()) {
      const problem = `Testcontainers needs Node ${CONTAINERS_MIN_NODE.join('.')} or newer, this is ${process.version}`;
      if (mode === 'containers') throw new Error(`infra: ${problem}`);
      log(`infra: ${problem}; using local servers`);
    } else {
      try {
        const infra = await startContainerServers({ log, env, prepared });
        log(`infra: ${infra.description}`);
        return infra;
      } catch (error) {
        if (mode === 'containers') {
          throw new Error(
            `${error.message}\n(no containers: PASSWAY_INFRA=local runs the tests on this machine's servers, PASSWAY_INFRA=auto falls back to them)`,
          );
        }
        log(`infra: containers unavailable (${error.message.split('\n')[0]}); using local servers`);
      }
    }
  }
  const local = await ensureLocalServers({ log, env });
  log(`infra: local servers (no containers; ${reason})`);
  return { ...local, env: {}, description: 'local servers' };
}

/**
 * Starts what ensureInfra({ containers }) will need and takes long on a new machine (Docker
 * installed and started, images pulled or built) in a child process, so that it runs while the
 * caller builds. Pass the result to ensureInfra as `prepared`; null when containers are not the plan.
 */
function prepareInfra({ log = console.error, env = process.env, containers = false, testPatterns = [] } = {}) {
  const mode = env.PASSWAY_INFRA || defaultInfraMode({ env, containers });
  if (!['auto', 'containers'].includes(mode) || !nodeRunsTestcontainers()) return null;
  // The project's image too when the tests that run it are among those selected.
  const appImage = testPatterns.length === 0 || testPatterns.some((pattern) => /image|compose/.test(pattern));
  // The console's image (test/console-image.e2e-spec.ts) likewise.
  const consoleImage = testPatterns.length === 0 || testPatterns.some((pattern) => /image/.test(pattern));
  const child = spawn(process.execPath, [path.join(__dirname, 'prepare-images.js')], {
    env: { ...env, PASSWAY_PREPARE_APP_IMAGE: appImage ? '1' : '0', PASSWAY_PREPARE_CONSOLE_IMAGE: consoleImage ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  readline.createInterface({ input: child.stderr }).on('line', log);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  process.once('exit', () => child.kill());
  const done = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`preparing containers failed (exit ${code})`)),
    );
  });
  done.catch(() => {}); // ensureInfra decides what a failure means
  return done;
}

/** The Kafka jars (fetched once) and how to run them, for test helpers that start brokers of their own. */
async function kafkaRuntime({ log = console.error, env = process.env } = {}) {
  await ensureKafkaJars({ log, env });
  return {
    classpath: kafkaClasspath(),
    java: javaCommand(env),
    clusterId: () => crypto.randomBytes(16).toString('base64url').replace(/^-/, 'A'),
  };
}

module.exports = { defaultInfraMode, ensureInfra, prepareInfra, ensureKafka, ensureKafkaJars, waitForPort, parseUrlHostPort, kafkaRuntime };
