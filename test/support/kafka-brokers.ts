import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '../../tools/stack';
import { REPO_ROOT } from './e2e-env';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { kafkaRuntime } = require(join(REPO_ROOT, 'scripts', 'lib', 'infra.js'));

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
  ) {}

  static async start(size: 1 | 3, label: string): Promise<LocalKafka> {
    const runtime = await kafkaRuntime({ log: () => undefined });
    const root = mkdtempSync(join(tmpdir(), `passway-kafka-${label}-`));
    const nodes: Node[] = [];
    for (let id = 1; id <= size; id += 1) nodes.push({ id, port: await freePort(), controllerPort: await freePort(), dir: join(root, `node-${id}`) });
    const cluster = new LocalKafka(nodes, runtime, root);
    const clusterId = runtime.clusterId();
    for (const node of nodes) {
      mkdirSync(node.dir, { recursive: true });
      writeFileSync(join(node.dir, 'server.properties'), cluster.properties(node));
      writeFileSync(join(node.dir, 'log4j.properties'), `log4j.rootLogger=WARN, file\nlog4j.appender.file=org.apache.log4j.FileAppender\nlog4j.appender.file.File=${join(node.dir, 'server.log')}\nlog4j.appender.file.layout=org.apache.log4j.PatternLayout\nlog4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n\n`);
      const format = spawnSync(runtime.java, [...cluster.javaArgs(node), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', join(node.dir, 'server.properties'), '--ignore-formatted'], { encoding: 'utf8' });
      if (format.status !== 0) throw new Error(`formatting kafka node ${node.id} failed: ${format.stderr || format.stdout}`);
    }
    for (const node of nodes) cluster.spawnNode(node);
    await cluster.waitUntilServing();
    return cluster;
  }

  /** The bootstrap list, as KAFKA_BROKERS takes it. */
  get brokers(): string {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  client(clientId = 'e2e-kafka'): Kafka {
    return new Kafka({ clientId, brokers: this.brokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 200 } });
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
      return readFileSync(join(this.node(id).dir, 'server.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  private node(id: number): Node {
    const node = this.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`no kafka node ${id}`);
    return node;
  }

  private javaArgs(node: Node): string[] {
    return [`-Dlog4j.configuration=file:${join(node.dir, 'log4j.properties')}`, '-cp', this.runtime.classpath];
  }

  private spawnNode(node: Node): void {
    const out = openSync(join(node.dir, 'stdout.log'), 'a');
    try {
      node.process = spawn(this.runtime.java, ['-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', ...this.javaArgs(node), 'kafka.Kafka', join(node.dir, 'server.properties')], {
        stdio: ['ignore', out, out],
      });
    } finally {
      closeSync(out);
    }
    const child = node.process;
    process.once('exit', () => child.kill('SIGKILL'));
  }

  private properties(node: Node): string {
    const size = this.nodes.length;
    const replication = size >= 3 ? 3 : 1;
    const settings: Record<string, string | number | boolean> = {
      'process.roles': 'broker,controller',
      'node.id': node.id,
      'controller.quorum.voters': this.nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(','),
      listeners: `PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
      'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.port}`,
      'controller.listener.names': 'CONTROLLER',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name': 'PLAINTEXT',
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
      'broker.heartbeat.interval.ms': 500,
      'broker.session.timeout.ms': 3000,
      'replica.lag.time.max.ms': 5000,
      'num.network.threads': 2,
      'num.io.threads': 2,
      'background.threads': 2,
      'log.cleaner.enable': false,
    };
    return Object.entries(settings).map(([key, value]) => `${key}=${value}\n`).join('');
  }

  private async waitUntilServing(timeoutMs = 90_000): Promise<void> {
    const live = this.nodes.filter((node) => node.process && node.process.exitCode === null);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const exited = live.find((node) => node.process!.exitCode !== null);
      if (exited) throw new Error(`kafka node ${exited.id} exited while starting:\n${this.logTail(exited.id)}`);
      const admin = new Kafka({ clientId: 'e2e-kafka-wait', brokers: live.map((n) => `127.0.0.1:${n.port}`), logLevel: logLevel.NOTHING, connectionTimeout: 1000, retry: { retries: 0 } }).admin();
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
