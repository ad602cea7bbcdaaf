import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import { APP_NAMES } from '../tools/stack';
import { eventually, REPO_ROOT } from './support/e2e-env';
import { startGateway } from './support/gateway-process';

const LOG_DIR = process.env.PASSWAY_TEST_LOG_DIR ?? join(REPO_ROOT, 'test-artifacts', 'logs');
const READY = /^(gateway listening on |(passes|scans|webhooks|notifications) ready: )/;
// eslint-disable-next-line no-control-regex -- ANSI colour codes begin with the ESC control character
const ANSI = /\u001b\[[\d;]*m/g;

const linesOf = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');

describe('app logs', () => {
  it('are JSON, one object a line, when stdout is not a terminal, and each app says it started in one line', () => {
    for (const app of APP_NAMES) {
      const lines = linesOf(join(LOG_DIR, `shared-${app}.log`));
      const records = lines.map((line) => {
        try {
          return JSON.parse(line) as { level: string; msg: string; app: string; context?: string };
        } catch {
          throw new Error(`${app}: a line that is not JSON: ${line}`);
        }
      });
      const ready = records.findIndex((r) => READY.test(r.msg));
      assert.ok(ready >= 0, `${app} logged that it is up`);
      const startUpInfo = records.slice(0, ready + 1).filter((r) => r.level === 'info');
      assert.deepEqual(
        startUpInfo.map((r) => r.msg),
        [records[ready].msg],
        `${app}: one info line while starting, not Nest's module and route list`,
      );
      assert.ok(records.every((r) => r.app === app));
    }
  });

  it('are coloured lines for a person in the pretty format (what `npm start` picks at a terminal), still one line to start', async () => {
    const gateway = await startGateway('pretty-logs', { LOG_FORMAT: 'pretty' });
    try {
      const ready = await eventually(() => Promise.resolve(linesOf(gateway.logFile).find((line) => line.includes('gateway listening on'))));
      assert.match(ready, ANSI, 'coloured');
      assert.throws(() => JSON.parse(ready));
      const plain = linesOf(gateway.logFile).map((line) => line.replace(ANSI, ''));
      assert.match(
        plain.find((line) => line.includes('gateway listening on'))!,
        /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: gateway listening on /,
      );
      assert.deepEqual(
        plain.filter((line) => / INFO: /.test(line)).map((line) => line.replace(/^.*?INFO: /, '')),
        [plain.find((line) => line.includes('gateway listening on'))!.replace(/^.*?INFO: /, '')],
        'one info line while starting',
      );
    } finally {
      await gateway.stop();
    }
  });
});
