import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { APP_NODE_FLAGS, appEntry, freePorts, waitFor } from '../../tools/stack';
import { REPO_ROOT } from './e2e-env';

export interface GatewayProcess {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * One more gateway with its own settings, in front of the shared stack's services, database and
 * Redis (unless `env` says otherwise). Ready once /health/live answers: its readiness may be false
 * on purpose (e.g. Redis unreachable).
 */
export async function startGateway(label: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<GatewayProcess> {
  const { gateway: port } = await freePorts();
  const logDir = process.env.PASSWAY_TEST_LOG_DIR ?? join(REPO_ROOT, 'test-artifacts', 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${label}-gateway.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, [...APP_NODE_FLAGS, appEntry('gateway')], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
  };
  try {
    await waitFor(`${url}/health/live`, timeoutMs, () => (child.exitCode !== null ? [`gateway (exit ${child.exitCode})`] : []));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, logFile, stop };
}

let ipCounter = 0;
/** A client address of its own (the gateway trusts one proxy hop), so per-IP budgets never collide between tests. */
export function uniqueClientIp(): string {
  ipCounter += 1;
  return `10.${(process.pid >> 8) & 255}.${process.pid & 255}.${ipCounter % 250}`;
}
