'use strict';

// PostgreSQL, Redis and Kafka in containers through Testcontainers, for the test suite,
// and a three-broker KRaft Kafka cluster for reliability tests. Ryuk (Testcontainers'
// reaper) needs a registry, so it is off: every container started here carries a
// passway.owner label with our pid and is removed by us on stop, on process exit, on
// SIGINT/SIGTERM, and (for a run that was SIGKILLed) by the next run's reapOrphans().

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

const crypto = require('node:crypto');
const net = require('node:net');
const { spawnSync } = require('node:child_process');

const OWNER_LABEL = 'passway.owner';
const KAFKA_HOST_PORT = 9092; // the listener advertised to the host, on a fixed mapped port
const KAFKA_INTERNAL_PORT = 19092; // between brokers, on the cluster's network
const KAFKA_CONTROLLER_PORT = 9093;
const KAFKA_START_TIMEOUT_MS = 480_000;
const SERVER_START_TIMEOUT_MS = 300_000;

const testcontainers = () => require('testcontainers');

// ---------------------------------------------------------------------------
// Ownership: remove what we started, whatever way this process ends

const ownedIds = new Set();
let exitHooksInstalled = false;

function removeContainersNow(ids) {
  if (ids.length) spawnSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
}

function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => removeContainersNow([...ownedIds]));
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ]) {
    process.once(signal, () => {
      process.stderr.write(`containers: ${signal}, removing ${ownedIds.size} container(s)\n`);
      process.exit(code); // the exit hook above removes them
    });
  }
}

function own(container) {
  installExitHooks();
  ownedIds.add(container.getId());
  return container;
}

async function removeOwned(container) {
  ownedIds.delete(container.getId());
  await container.stop({ timeout: 0, remove: true, removeVolumes: true }).catch(() => removeContainersNow([container.getId()]));
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Removes containers and networks of earlier runs whose process is gone (killed with SIGKILL). */
function reapOrphans(log = () => {}) {
  for (const kind of ['container', 'network']) {
    const listArgs = kind === 'container' ? ['ps', '-a'] : ['network', 'ls'];
    const listed = spawnSync(
      'docker',
      [...listArgs, '--filter', `label=${OWNER_LABEL}`, '--format', `{{.ID}} {{.Label "${OWNER_LABEL}"}}`],
      { encoding: 'utf8' },
    );
    const orphans = (listed.stdout || '')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' '))
      .filter(([, owner]) => !pidAlive(Number(owner)))
      .map(([id]) => id);
    if (orphans.length === 0) continue;
    log(`containers: removing ${orphans.length} ${kind}(s) left by runs that were killed`);
    spawnSync('docker', kind === 'container' ? ['rm', '-f', '-v', ...orphans] : ['network', 'rm', ...orphans], { stdio: 'ignore' });
  }
}

const ownerLabels = () => ({ [OWNER_LABEL]: String(process.pid) });

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------
// PostgreSQL and Redis through their Testcontainers modules

async function startPostgres(image) {
  const { PostgreSqlContainer } = require('@testcontainers/postgresql');
  const { Wait } = testcontainers();
  const container = await new PostgreSqlContainer(image)
    .withUsername('postgres')
    .withPassword('postgres')
    .withDatabase('postgres')
    .withLabels(ownerLabels())
    // Each app connects as its own role without a password (as on a local server with trust
    // authentication); the server is private to this run.
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    // Throw-away data: no fsync, and on tmpfs.
    .withTmpFs({ '/var/lib/postgresql/data': 'rw' })
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=400'])
    // Ready once it answers on TCP (the official image's first, init-time server listens on its
    // socket only). The module's own probe (an exec every 250 ms for the container's whole life,
    // 1 s timeout) loads a busy machine; Docker still wants one, so it runs once a minute.
    .withWaitStrategy(Wait.forSuccessfulCommand('pg_isready --host 127.0.0.1 --username postgres --dbname postgres'))
    .withHealthCheck({
      test: ['CMD-SHELL', 'pg_isready --host 127.0.0.1 --username postgres'],
      interval: 60_000,
      timeout: 10_000,
      retries: 3,
    })
    // Docker's default 64 MB /dev/shm is too small for 400 connections' shared memory.
    .withSharedMemorySize(256 * 1024 * 1024)
    .withStartupTimeout(SERVER_START_TIMEOUT_MS)
    .start();
  own(container);
  return { container, url: `postgres://postgres:postgres@127.0.0.1:${container.getPort()}` };
}

async function startRedis(image) {
  const { RedisContainer } = require('@testcontainers/redis');
  const container = await new RedisContainer(image)
    .withLabels(ownerLabels())
    .withCommand(['redis-server', '--save', '', '--appendonly', 'no'])
    .withStartupTimeout(SERVER_START_TIMEOUT_MS)
    .start();
  own(container);
  return { container, url: `redis://127.0.0.1:${container.getMappedPort(6379)}` };
}

// ---------------------------------------------------------------------------
// Kafka: GenericContainer (the Kafka module drives Confluent's image only), configured
// through the apache/kafka image's KAFKA_* variables, which the local image honours too.

/** Broker settings shared by the single test broker and the cluster (KAFKA_* form). */
const KAFKA_TUNING = {
  KAFKA_NUM_PARTITIONS: '3',
  KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
  KAFKA_DELETE_TOPIC_ENABLE: 'true',
  KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
  // After a kill, a new incarnation may register once the old session expires (9 s by default).
  KAFKA_BROKER_HEARTBEAT_INTERVAL_MS: '1000',
  KAFKA_BROKER_SESSION_TIMEOUT_MS: '4000',
  KAFKA_NUM_NETWORK_THREADS: '2',
  KAFKA_NUM_IO_THREADS: '4',
  KAFKA_BACKGROUND_THREADS: '4',
  KAFKA_LOG_CLEANER_DEDUPE_BUFFER_SIZE: String(16 * 1024 * 1024),
  KAFKA_LOG_SEGMENT_BYTES: String(64 * 1024 * 1024),
  KAFKA_LOG_DIRS: '/var/lib/kafka/data',
  KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m',
  // Test brokers live for minutes on a small machine: C1 only and the serial collector start
  // faster and take less CPU than the defaults (both images read this variable).
  KAFKA_JVM_PERFORMANCE_OPTS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError',
};

function newClusterId() {
  let id;
  do id = crypto.randomBytes(16).toString('base64url');
  while (id.startsWith('-'));
  return id;
}

/**
 * One KRaft node (broker + controller). `hostPort` is the fixed host port of its HOST
 * listener, advertised as 127.0.0.1:hostPort so clients on the host reach it directly.
 */
function kafkaNode(image, { nodeId, hostPort, alias, voters, clusterId, network, replication }) {
  const { GenericContainer, Wait } = testcontainers();
  const definition = new GenericContainer(image)
    .withLabels(ownerLabels())
    .withExposedPorts({ container: KAFKA_HOST_PORT, host: hostPort })
    .withEnvironment({
      ...KAFKA_TUNING,
      CLUSTER_ID: clusterId,
      KAFKA_NODE_ID: String(nodeId),
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `HOST://0.0.0.0:${KAFKA_HOST_PORT},INTERNAL://0.0.0.0:${KAFKA_INTERNAL_PORT},CONTROLLER://0.0.0.0:${KAFKA_CONTROLLER_PORT}`,
      KAFKA_ADVERTISED_LISTENERS: `HOST://127.0.0.1:${hostPort},INTERNAL://${alias}:${KAFKA_INTERNAL_PORT}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'HOST:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: voters,
      KAFKA_DEFAULT_REPLICATION_FACTOR: String(replication.factor),
      KAFKA_MIN_INSYNC_REPLICAS: String(replication.minInsync),
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: String(replication.factor),
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: replication.factor === 1 ? '1' : '3',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: String(replication.factor),
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: String(replication.minInsync),
      KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS: replication.factor === 1 ? '1' : '3',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(KAFKA_START_TIMEOUT_MS);
  return network ? definition.withNetwork(network).withNetworkAliases(alias) : definition;
}

/** Resolves once a metadata request through `brokers` lists `expected` brokers. */
async function waitForKafkaMetadata(brokers, expected, timeoutMs = 60_000) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({
    clientId: 'passway-containers',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 2000,
  });
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const { brokers: listed } = await admin.describeCluster();
      if (listed.length >= expected) return;
      lastError = new Error(`${listed.length} of ${expected} brokers registered`);
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`kafka: ${brokers.join(',')} not ready within ${timeoutMs / 1000} s: ${lastError?.message}`);
}

/** Binding a fixed host port can lose a race with another process: pick another and retry. */
async function startWithFreePort(define, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    const hostPort = await freePort();
    try {
      return { container: own(await define(hostPort).start()), hostPort };
    } catch (error) {
      if (attempt >= attempts || !/address already in use|port is already allocated/i.test(String(error.message))) throw error;
    }
  }
}

async function startKafka(image) {
  const { container, hostPort } = await startWithFreePort((port) =>
    kafkaNode(image, {
      nodeId: 1,
      hostPort: port,
      alias: 'localhost',
      voters: `1@localhost:${KAFKA_CONTROLLER_PORT}`,
      clusterId: newClusterId(),
      replication: { factor: 1, minInsync: 1 },
    }),
  );
  const brokers = `127.0.0.1:${hostPort}`;
  await waitForKafkaMetadata([brokers], 1);
  return { container, brokers };
}

// ---------------------------------------------------------------------------
// The servers of a test run

/**
 * Starts PostgreSQL, Redis and Kafka side by side from the given images.
 * Returns { urls: { postgres, redis, kafkaBrokers }, containers, stop }.
 */
async function startTestServers({ images, log = () => {} }) {
  reapOrphans(log);
  const startedAt = Date.now();
  const results = await Promise.allSettled([startPostgres(images.postgres), startRedis(images.redis), startKafka(images.kafka)]);
  const started = results.filter((r) => r.status === 'fulfilled').map((r) => r.value.container);
  const stop = async () => {
    await Promise.all(started.map(removeOwned));
  };
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [postgres, redis, kafka] = results.map((r) => r.value);
  log(
    `containers: postgres ${postgres.url.replace(/:[^:@]*@/, '@')}, redis ${redis.url}, kafka ${kafka.brokers} up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
  );
  return { urls: { postgres: postgres.url, redis: redis.url, kafkaBrokers: kafka.brokers }, stop };
}

// ---------------------------------------------------------------------------
// A multi-broker KRaft cluster

/**
 * Starts `size` (default 3) combined broker+controller nodes on their own network, with
 * default.replication.factor = size and min.insync.replicas = size - 1. Every broker is
 * reachable from the host at 127.0.0.1:<its port>. Node ids are 1..size.
 */
async function startKafkaCluster({ image = process.env.PASSWAY_KAFKA_IMAGE, size = 3, minInsync = size - 1, log = () => {} } = {}) {
  if (!image) throw new Error('startKafkaCluster: no image (PASSWAY_KAFKA_IMAGE is set by npm test)');
  const { Network } = testcontainers();
  reapOrphans(log);
  installExitHooks();
  const startedAt = Date.now();
  const network = await new Network().start();
  const removeNetwork = () => spawnSync('docker', ['network', 'rm', network.getId()], { stdio: 'ignore' });
  process.once('exit', removeNetwork);
  const clusterId = newClusterId();
  const ids = Array.from({ length: size }, (_, i) => i + 1);
  const alias = (id) => `kafka-${id}`;
  const voters = ids.map((id) => `${id}@${alias(id)}:${KAFKA_CONTROLLER_PORT}`).join(',');
  // The quorum needs a majority of its voters up: all nodes start at once.
  const results = await Promise.allSettled(
    ids.map((nodeId) =>
      startWithFreePort((hostPort) =>
        kafkaNode(image, {
          nodeId,
          hostPort,
          alias: alias(nodeId),
          voters,
          clusterId,
          network,
          replication: { factor: size, minInsync },
        }),
      ),
    ),
  );
  const nodes = new Map();
  results.forEach((result, i) => result.status === 'fulfilled' && nodes.set(ids[i], result.value));
  const stop = async () => {
    await Promise.all([...nodes.values()].map(({ container }) => removeOwned(container)));
    await network.stop().catch(removeNetwork);
    process.removeListener('exit', removeNetwork);
  };
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const brokerAddress = (id) => `127.0.0.1:${nodes.get(id).hostPort}`;
  const brokers = ids.map(brokerAddress);
  await waitForKafkaMetadata(brokers, size);
  log(`containers: kafka cluster of ${size} brokers (${brokers.join(',')}) up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);

  const node = (id) => {
    const found = nodes.get(id);
    if (!found) throw new Error(`no broker ${id} (ids are ${ids.join(', ')})`);
    return found;
  };
  const dockerContainer = async (id) => {
    const client = await testcontainers().getContainerRuntimeClient();
    return client.container.getById(node(id).container.getId());
  };
  return {
    brokers: brokers.join(','),
    brokerList: brokers,
    brokerIds: ids,
    brokerAddress,
    containerId: (id) => node(id).container.getId(),
    /** The node id leading a partition, from the cluster's metadata. */
    async leaderOf(topic, partition = 0) {
      const { Kafka, logLevel } = require('kafkajs');
      const admin = new Kafka({ clientId: 'passway-containers', brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        const found = topics[0].partitions.find((p) => p.partitionId === partition);
        if (!found) throw new Error(`${topic} has no partition ${partition}`);
        return found.leader;
      } finally {
        await admin.disconnect();
      }
    },
    /** SIGKILL the broker's container (a crash: no controlled shutdown). */
    async kill(id) {
      await (await dockerContainer(id)).kill({ signal: 'SIGKILL' });
    },
    /** SIGTERM and wait for a controlled shutdown. */
    async stopBroker(id, timeoutSeconds = 30) {
      await (await dockerContainer(id)).stop({ t: timeoutSeconds });
    },
    /** Starts a killed or stopped broker again, same port and data; resolves when all brokers are registered. */
    async start(id) {
      await (await dockerContainer(id)).start();
      await waitForKafkaMetadata(brokers, size, KAFKA_START_TIMEOUT_MS);
    },
    /** Freezes the broker's processes (it keeps its sockets open but answers nothing). */
    async pause(id) {
      await (await dockerContainer(id)).pause();
    },
    async unpause(id) {
      await (await dockerContainer(id)).unpause();
    },
    stop,
  };
}

module.exports = {
  startTestServers,
  startKafkaCluster,
  reapOrphans,
  waitForKafkaMetadata,
  freePort,
  ownContainer: own,
  removeContainer: removeOwned,
};
