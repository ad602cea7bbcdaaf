import { randomBytes } from 'node:crypto';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { freePort } from '../../tools/stack';
import { REPO_ROOT } from './e2e-env';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- scripts/lib is plain CommonJS outside the TypeScript program
const { kafkaRuntime } = require(join(REPO_ROOT, 'scripts', 'lib', 'infra.js'));

/** A SASL_SSL listener: TLS with a certificate from a CA made for the run, and SCRAM-SHA-512 users. */
export interface SaslSslOptions {
  users: { username: string; password: string }[];
}

/** What a client of a SASL_SSL LocalKafka needs: the CA file and the administrator's credentials. */
interface Security {
  caFile: string;
  admin: { username: string; password: string };
  users: { username: string; password: string }[];
}

interface Node {
  id: number;
  port: number;
  controllerPort: number;
  dir: string;
  process?: ChildProcess;
}

/**
 * Local KRaft brokers of a test's own (combined broker + controller, from the jars `npm test`
 * already fetched), which the test may stop, kill and restart at will: one node, or three with
 * replication factor 3 and min.insync.replicas 2. Only 127.0.0.1; data in a temporary folder.
 */
export class LocalKafka {
  private constructor(
    private readonly nodes: Node[],
    private readonly runtime: { classpath: string; java: string },
    private readonly root: string,
    private readonly security?: Security,
  ) {}

  /**
   * `saslSsl`: the brokers listen only with SASL_SSL (the production settings: TLS and
   * SCRAM-SHA-512), with certificates made by openssl for this run; KRaft's controller link
   * stays plaintext on 127.0.0.1.
   */
  static async start(size: 1 | 3, label: string, options: { saslSsl?: SaslSslOptions } = {}): Promise<LocalKafka> {
    const runtime = await kafkaRuntime({ log: () => undefined });
    const root = mkdtempSync(join(tmpdir(), `passway-kafka-${label}-`));
    const nodes: Node[] = [];
    for (let id = 1; id <= size; id += 1)
      nodes.push({ id, port: await freePort(), controllerPort: await freePort(), dir: join(root, `node-${id}`) });
    const security = options.saslSsl ? makeTlsMaterial(root, options.saslSsl) : undefined;
    const cluster = new LocalKafka(nodes, runtime, root, security);
    const clusterId = runtime.clusterId();
    const scram = security
      ? [security.admin, ...security.users].flatMap(({ username, password }) => [
          '--add-scram',
          `SCRAM-SHA-512=[name=${username},password=${password}]`,
        ])
      : [];
    for (const node of nodes) {
      mkdirSync(node.dir, { recursive: true });
      writeFileSync(join(node.dir, 'server.properties'), cluster.properties(node));
      writeFileSync(
        join(node.dir, 'log4j.properties'),
        `log4j.rootLogger=WARN, file\nlog4j.appender.file=org.apache.log4j.FileAppender\nlog4j.appender.file.File=${join(node.dir, 'server.log')}\nlog4j.appender.file.layout=org.apache.log4j.PatternLayout\nlog4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n\n`,
      );
      const format = spawnSync(
        runtime.java,
        [
          ...cluster.javaArgs(node),
          'kafka.tools.StorageTool',
          'format',
          '-t',
          clusterId,
          '-c',
          join(node.dir, 'server.properties'),
          '--ignore-formatted',
          ...scram,
        ],
        { encoding: 'utf8' },
      );
      if (format.status !== 0) throw new Error(`formatting kafka node ${node.id} failed: ${format.stderr || format.stdout}`);
    }
    for (const node of nodes) cluster.spawnNode(node);
    try {
      await cluster.waitUntilServing();
    } catch (error) {
      await cluster.stop(); // the caller has no handle to stop it with
      throw error;
    }
    return cluster;
  }

  /** The bootstrap list, as KAFKA_BROKERS takes it. */
  get brokers(): string {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  /** The PEM file of the CA that signed the brokers' certificates (SASL_SSL only). */
  get caFile(): string {
    if (!this.security) throw new Error('this LocalKafka has no TLS');
    return this.security.caFile;
  }

  client(clientId = 'e2e-kafka'): Kafka {
    return new Kafka({
      clientId,
      brokers: this.brokers.split(','),
      logLevel: logLevel.NOTHING,
      retry: { retries: 3, initialRetryTime: 200 },
      ...this.adminSecurity(),
    });
  }

  /** The test's own clients connect as the broker's administrator. */
  private adminSecurity(): Pick<KafkaConfig, 'ssl' | 'sasl'> {
    if (!this.security) return {};
    const { caFile, admin } = this.security;
    return { ssl: { ca: [readFileSync(caFile, 'utf8')] }, sasl: { mechanism: 'scram-sha-512', ...admin } };
  }

  /** Stops one node (SIGTERM: a clean shutdown; SIGKILL: a crash) and waits until it is gone. */
  async stopNode(id: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const node = this.node(id);
    const child = node.process;
    node.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  async startNode(id: number): Promise<void> {
    this.spawnNode(this.node(id));
    await this.waitUntilServing();
  }

  /** The node leading a topic's partition (its node id). */
  async leaderOf(topic: string, partition: number): Promise<number> {
    const admin = this.client('e2e-kafka-admin').admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      return topics[0].partitions.find((p) => p.partitionId === partition)!.leader;
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) await this.stopNode(node.id, 'SIGKILL');
    rmSync(this.root, { recursive: true, force: true });
  }

  logTail(id: number, lines = 30): string {
    try {
      return readFileSync(join(this.node(id).dir, 'server.log'), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '';
    }
  }

  private node(id: number): Node {
    const node = this.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`no kafka node ${id}`);
    return node;
  }

  /** The client compiler only: a test broker starts on a fraction of the CPU (a busy 2-core machine), and needs no peak speed. */
  private javaArgs(node: Node): string[] {
    return ['-XX:TieredStopAtLevel=1', `-Dlog4j.configuration=file:${join(node.dir, 'log4j.properties')}`, '-cp', this.runtime.classpath];
  }

  private spawnNode(node: Node): void {
    const out = openSync(join(node.dir, 'stdout.log'), 'a');
    try {
      const java = [
        this.runtime.java,
        '-Xms128m',
        '-Xmx512m',
        '-XX:+UseSerialGC',
        ...this.javaArgs(node),
        'kafka.Kafka',
        join(node.dir, 'server.properties'),
      ];
      // A test process killed outright (Jest's force exit) runs no exit hook: the kernel then stops the node.
      const command = DIES_WITH_PARENT ? ['setpriv', '--pdeathsig', 'KILL', ...java] : java;
      node.process = spawn(command[0], command.slice(1), { stdio: ['ignore', out, out] });
    } finally {
      closeSync(out);
    }
    const child = node.process;
    process.once('exit', () => child.kill('SIGKILL'));
  }

  private properties(node: Node): string {
    const size = this.nodes.length;
    const replication = size >= 3 ? 3 : 1;
    const listener = this.security ? 'SASL_SSL' : 'PLAINTEXT';
    const settings: Record<string, string | number | boolean> = {
      'process.roles': 'broker,controller',
      'node.id': node.id,
      'controller.quorum.voters': this.nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(','),
      listeners: `${listener}://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
      'advertised.listeners': `${listener}://127.0.0.1:${node.port}`,
      'controller.listener.names': 'CONTROLLER',
      'listener.security.protocol.map': `${listener}:${listener},CONTROLLER:PLAINTEXT`,
      'inter.broker.listener.name': listener,
      ...(this.security ? saslSslProperties(this.security, join(this.root, 'tls')) : {}),
      'log.dirs': join(node.dir, 'data'),
      'num.partitions': 3,
      'default.replication.factor': replication,
      'auto.create.topics.enable': false,
      'offsets.topic.replication.factor': replication,
      'offsets.topic.num.partitions': 1,
      'transaction.state.log.replication.factor': replication,
      'transaction.state.log.min.isr': size >= 3 ? 2 : 1,
      'transaction.state.log.num.partitions': 1,
      'min.insync.replicas': size >= 3 ? 2 : 1,
      'group.initial.rebalance.delay.ms': 0,
      // A killed node is noticed in seconds; a starved one (a busy machine) is not fenced at once.
      'broker.heartbeat.interval.ms': 1000,
      'broker.session.timeout.ms': 4000,
      'replica.lag.time.max.ms': 5000,
      'num.network.threads': 2,
      'num.io.threads': 2,
      'background.threads': 2,
      'log.cleaner.enable': false,
    };
    return Object.entries(settings)
      .map(([key, value]) => `${key}=${value}\n`)
      .join('');
  }

  private async waitUntilServing(timeoutMs = 180_000): Promise<void> {
    const live = this.nodes.filter((node) => node.process && node.process.exitCode === null);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const exited = live.find((node) => node.process!.exitCode !== null);
      if (exited) throw new Error(`kafka node ${exited.id} exited while starting:\n${this.logTail(exited.id)}`);
      const admin = new Kafka({
        clientId: 'e2e-kafka-wait',
        brokers: live.map((n) => `127.0.0.1:${n.port}`),
        logLevel: logLevel.NOTHING,
        connectionTimeout: 3000,
        retry: { retries: 0 },
        ...this.adminSecurity(),
      }).admin();
      try {
        await admin.connect();
        const { brokers } = await admin.describeCluster();
        if (brokers.length >= live.length) return;
      } catch {
        // not yet
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`kafka (${this.brokers}) not serving after ${timeoutMs} ms:\n${this.logTail(live[0]?.id ?? 1)}`);
  }
}

const KEYSTORE_PASSWORD = 'passway-test-keystore';

/** util-linux's setpriv can tie a child's life to its parent's (PR_SET_PDEATHSIG); without it, only the exit hook does. */
const DIES_WITH_PARENT = spawnSync('setpriv', ['--help'], { encoding: 'utf8' }).stdout?.includes('--pdeathsig') ?? false;

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr || result.error?.message}`);
}

/** A CA and a broker certificate for 127.0.0.1 (a PKCS#12 keystore for Java), made for this run only. */
function makeTlsMaterial(root: string, options: SaslSslOptions): Security {
  const dir = join(root, 'tls');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'broker.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Passway test CA',
    ].concat(['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']),
    dir,
  );
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'broker.key', '-out', 'broker.csr', '-subj', '/CN=127.0.0.1'], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'broker.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'broker.pem',
      '-days',
      '2',
    ].concat(['-extfile', 'broker.ext']),
    dir,
  );
  openssl(
    [
      'pkcs12',
      '-export',
      '-in',
      'broker.pem',
      '-inkey',
      'broker.key',
      '-certfile',
      'ca.pem',
      '-name',
      'broker',
      '-out',
      'broker.p12',
    ].concat(['-passout', `pass:${KEYSTORE_PASSWORD}`]),
    dir,
  );
  return {
    caFile: join(dir, 'ca.pem'),
    admin: { username: 'kafka-admin', password: `admin-${randomBytes(12).toString('hex')}` },
    users: options.users,
  };
}

/** The SASL_SSL listener's settings: SCRAM-SHA-512 for clients and between brokers, the run's keystore. */
function saslSslProperties(security: Security, tlsDir: string): Record<string, string> {
  const { username, password } = security.admin;
  return {
    'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`,
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': join(tlsDir, 'broker.p12'),
    'ssl.keystore.password': KEYSTORE_PASSWORD,
    'ssl.key.password': KEYSTORE_PASSWORD,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': security.caFile,
  };
}
