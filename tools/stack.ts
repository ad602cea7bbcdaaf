import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, WriteStream } from 'node:fs';
import { serviceDatabaseUrl } from '../libs/common/src/database/database-roles';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** Start order: services first, the gateway (which waits for them) last. */
export const APP_NAMES = ['passes', 'scans', 'webhooks', 'notifications', 'gateway'] as const;
export type AppName = (typeof APP_NAMES)[number];

export interface StackPorts {
  gateway: number;
  passesGrpc: number;
  scansGrpc: number;
  webhooksGrpc: number;
  notificationsGrpc: number;
  passesHttp: number;
  scansHttp: number;
  webhooksHttp: number;
  notificationsHttp: number;
}

export const DEFAULT_PORTS: StackPorts = {
  gateway: 3000,
  passesHttp: 3001,
  scansHttp: 3002,
  webhooksHttp: 3003,
  notificationsHttp: 3004,
  passesGrpc: 50051,
  scansGrpc: 50052,
  webhooksGrpc: 50053,
  notificationsGrpc: 50054,
};

/** The repository root, whether this runs from the sources (Jest) or from their build in dist/. */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Every app process any Stack in this process started, so none outlives its parent. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function killChildrenOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  };
  process.on('exit', killAll);
}

/**
 * The V8 flags every app runs with, here and in the image (the Dockerfile's NODE_OPTIONS says the
 * same; test/image.e2e-spec.ts holds them together). V8's young generation may otherwise grow to
 * 3 × 32 MB per process: 8 MB semi-spaces keep each app's memory nearer its live heap at the same
 * CPU per scan (docs/scans.md, "Memory").
 */
export const APP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

export function appEntry(app: AppName): string {
  return join(REPO_ROOT, 'dist', 'apps', app, 'src', 'main.js');
}

/** Ports the OS says are free right now, for a stack that must not collide with another. */
export async function freePorts(): Promise<StackPorts> {
  const keys = Object.keys(DEFAULT_PORTS) as (keyof StackPorts)[];
  const ports = await Promise.all(keys.map(() => freePort()));
  return Object.fromEntries(keys.map((key, i) => [key, ports[i]])) as unknown as StackPorts;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** The ports the environment names (PORT, PASSES_HTTP_PORT, PASSES_GRPC_URL, …), the defaults otherwise. */
export function portsFromEnv(env: NodeJS.ProcessEnv): StackPorts {
  const port = (value: string | undefined, fallback: number) => (value ? Number(value.split(':').pop()) : fallback);
  return {
    gateway: port(env.PORT, DEFAULT_PORTS.gateway),
    passesHttp: port(env.PASSES_HTTP_PORT, DEFAULT_PORTS.passesHttp),
    scansHttp: port(env.SCANS_HTTP_PORT, DEFAULT_PORTS.scansHttp),
    webhooksHttp: port(env.WEBHOOKS_HTTP_PORT, DEFAULT_PORTS.webhooksHttp),
    notificationsHttp: port(env.NOTIFICATIONS_HTTP_PORT, DEFAULT_PORTS.notificationsHttp),
    passesGrpc: port(env.PASSES_GRPC_URL, DEFAULT_PORTS.passesGrpc),
    scansGrpc: port(env.SCANS_GRPC_URL, DEFAULT_PORTS.scansGrpc),
    webhooksGrpc: port(env.WEBHOOKS_GRPC_URL, DEFAULT_PORTS.webhooksGrpc),
    notificationsGrpc: port(env.NOTIFICATIONS_GRPC_URL, DEFAULT_PORTS.notificationsGrpc),
  };
}

export function stackEnv(ports: StackPorts, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    PORT: String(ports.gateway),
    PUBLIC_BASE_URL: base.PUBLIC_BASE_URL ?? `http://localhost:${ports.gateway}`,
    // A development key made for this stack, so no known key ever signs its gRPC calls.
    SERVICE_TOKEN_KEY: base.SERVICE_TOKEN_KEY ?? randomBytes(32).toString('base64url'),
    PASSES_GRPC_URL: `127.0.0.1:${ports.passesGrpc}`,
    SCANS_GRPC_URL: `127.0.0.1:${ports.scansGrpc}`,
    WEBHOOKS_GRPC_URL: `127.0.0.1:${ports.webhooksGrpc}`,
    NOTIFICATIONS_GRPC_URL: `127.0.0.1:${ports.notificationsGrpc}`,
    PASSES_HTTP_PORT: String(ports.passesHttp),
    SCANS_HTTP_PORT: String(ports.scansHttp),
    WEBHOOKS_HTTP_PORT: String(ports.webhooksHttp),
    NOTIFICATIONS_HTTP_PORT: String(ports.notificationsHttp),
  };
}

export interface StackOptions {
  ports: StackPorts;
  env: NodeJS.ProcessEnv;
  /** Folder for one log file per app; without it, output goes to this process's stderr, prefixed. */
  logDir?: string;
  label?: string;
  /** Extra Node options for every app (the bench's `--cpu-prof`). */
  nodeArgs?: string[];
  /**
   * The apps this stack runs (default all five): a second replica of some apps joins another
   * stack by giving the other apps' ports of that stack (the bench's two-replica run).
   */
  apps?: readonly AppName[];
}

/** The five apps as child processes: started, probed, stopped one by one or together. */
export class Stack {
  private readonly processes = new Map<AppName, ChildProcess>();
  private readonly logs = new Map<AppName, WriteStream>();
  readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: StackOptions) {
    this.env = stackEnv(options.ports, options.env);
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.options.ports.gateway}`;
  }

  healthUrl(app: AppName, probe: 'ready' | 'live' = 'ready'): string {
    const { ports } = this.options;
    const port = {
      gateway: ports.gateway,
      passes: ports.passesHttp,
      scans: ports.scansHttp,
      webhooks: ports.webhooksHttp,
      notifications: ports.notificationsHttp,
    }[app];
    return `http://127.0.0.1:${port}/health/${probe}`;
  }

  /** Resolves once every app is ready, consumers caught up included, and the gateway reaches every service. */
  async start(timeoutMs = 90_000): Promise<void> {
    const apps = this.options.apps ?? APP_NAMES;
    for (const app of apps) this.spawnApp(app);
    const deadline = Date.now() + timeoutMs;
    for (const app of apps) await waitFor(this.healthUrl(app), deadline - Date.now(), () => this.exitedApps());
    if (apps.includes('gateway')) await waitFor(`${this.gatewayUrl}/health`, deadline - Date.now(), () => this.exitedApps());
  }

  /** `live` for a restart under continuous load, where readiness (consumers caught up) may trail the load. */
  async startApp(app: AppName, timeoutMs = 120_000, probe: 'ready' | 'live' = 'ready'): Promise<void> {
    this.spawnApp(app);
    await waitFor(this.healthUrl(app, probe), timeoutMs, () => this.exitedApps());
  }

  /** SIGTERM (graceful) or SIGKILL (a crash); resolves when the process is gone. */
  async stopApp(app: AppName, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<number | null> {
    const child = this.processes.get(app);
    if (!child) return null;
    this.processes.delete(app);
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  async stop(): Promise<void> {
    for (const app of [...APP_NAMES].reverse()) await this.stopApp(app);
    for (const stream of this.logs.values()) stream.end();
    this.logs.clear();
  }

  isRunning(app: AppName): boolean {
    const child = this.processes.get(app);
    return Boolean(child && child.exitCode === null && child.signalCode === null);
  }

  private exitedApps(): string[] {
    return [...this.processes.entries()]
      .filter(([, child]) => child.exitCode !== null)
      .map(([app, child]) => `${app} (exit ${child.exitCode})`);
  }

  private spawnApp(app: AppName): void {
    if (this.isRunning(app)) throw new Error(`${app} is already running`);
    // Its own process group: a Ctrl-C in the terminal reaches only the launcher, which then stops
    // the apps in order (each leaves its consumer groups) before it stops the broker.
    const child = spawn(process.execPath, [...APP_NODE_FLAGS, ...(this.options.nodeArgs ?? []), appEntry(app)], {
      // Each app connects as its own database role, limited to its schema (granted by the migrations).
      env: { ...this.env, DATABASE_URL: serviceDatabaseUrl(this.env, app) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    liveChildren.add(child);
    child.once('exit', () => liveChildren.delete(child));
    killChildrenOnExit();
    const sink = this.sinkFor(app);
    child.stdout.on('data', (chunk: Buffer) => sink(chunk));
    child.stderr.on('data', (chunk: Buffer) => sink(chunk));
    this.processes.set(app, child);
  }

  private sinkFor(app: AppName): (chunk: Buffer) => void {
    if (this.options.logDir) {
      let stream = this.logs.get(app);
      if (!stream) {
        mkdirSync(this.options.logDir, { recursive: true });
        stream = createWriteStream(join(this.options.logDir, `${this.options.label ?? 'stack'}-${app}.log`), { flags: 'a' });
        this.logs.set(app, stream);
      }
      const target = stream;
      return (chunk) => target.write(chunk);
    }
    const prefix = `[${app}] `;
    return (chunk) => {
      const text = chunk.toString().replace(/\n(?=.)/g, `\n${prefix}`);
      process.stderr.write(prefix + text);
    };
  }
}

export async function waitFor(url: string, timeoutMs: number, failures: () => string[] = () => []): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const exited = failures();
    if (exited.length > 0) throw new Error(`app exited while starting: ${exited.join(', ')}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (last answer: ${last})`);
}
