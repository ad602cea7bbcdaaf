import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from '@jest/globals';
import { RequestContext } from '../context/request-context';
import { createAppLogger, createPino, usesPrettyLogs } from './logger';

/** A destination that keeps every line and lets a test wait for the next one. */
class Lines extends Writable {
  readonly lines: string[] = [];
  private buffered = '';
  private waiters: Array<{ test: (line: string) => boolean; done: (line: string) => void }> = [];

  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.buffered += chunk.toString();
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      this.lines.push(line);
      for (const waiter of [...this.waiters]) {
        if (waiter.test(line)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.done(line);
        }
      }
    }
    callback();
  }

  next(test: (line: string) => boolean): Promise<string> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((done) => this.waiters.push({ test, done }));
  }
}

const json = (line: string) => JSON.parse(line) as Record<string, unknown>;

describe('logging', () => {
  it('writes JSON lines with the app, the level, and the request, tenant and event ids of the work in progress', async () => {
    const out = new Lines();
    const log = createPino('passes', 'log', { format: 'json', destination: out });
    RequestContext.run({ requestId: 'req-1', tenantId: 'tenant-1', eventId: 'event-1' }, () =>
      log.info({ context: 'PassesService' }, 'pass created'),
    );
    const line = json(await out.next((l) => l.includes('pass created')));
    assert.equal(line.app, 'passes');
    assert.equal(line.level, 'info');
    assert.equal(line.context, 'PassesService');
    assert.equal(line.requestId, 'req-1');
    assert.equal(line.tenantId, 'tenant-1');
    assert.equal(line.eventId, 'event-1');
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT/);
  });

  it('redacts secrets wherever they sit in a log object', async () => {
    const out = new Lines();
    const log = createPino('gateway', 'log', { format: 'json', destination: out });
    log.info(
      { apiKey: 'pwk_live', webhook: { secret: 'whsec_1', url: 'https://x' }, headers: { authorization: 'Bearer pwk_live' } },
      'redaction',
    );
    const raw = await out.next((l) => l.includes('redaction'));
    assert.doesNotMatch(raw, /pwk_live|whsec_1/);
    const line = json(raw);
    assert.equal(line.apiKey, '[redacted]');
    assert.deepEqual(line.webhook, { secret: '[redacted]', url: 'https://x' });
  });

  it("turns Nest's start-up chatter into debug lines: hidden at the default level, shown at debug", async () => {
    const quiet = new Lines();
    const atLog = createPino('scans', 'log', { format: 'json', destination: quiet });
    atLog.info({ context: 'InstanceLoader' }, 'ScansAppModule dependencies initialized');
    atLog.info({ context: 'RouterExplorer' }, 'Mapped {/health, GET} route');
    atLog.info('scans ready: http :3002');
    await quiet.next((l) => l.includes('scans ready'));
    assert.deepEqual(
      quiet.lines.map((l) => json(l).msg),
      ['scans ready: http :3002'],
      'one line: the app says it is up',
    );

    const verbose = new Lines();
    const atDebug = createPino('scans', 'debug', { format: 'json', destination: verbose });
    atDebug.info({ context: 'InstanceLoader' }, 'ScansAppModule dependencies initialized');
    const line = json(await verbose.next((l) => l.includes('dependencies initialized')));
    assert.equal(line.level, 'debug');
    assert.equal(line.context, 'InstanceLoader');
  });

  it('prints coloured, human-readable lines in the pretty format', async () => {
    const out = new Lines();
    const log = createPino('gateway', 'log', { format: 'pretty', destination: out });
    log.warn({ context: 'RateLimits' }, 'Redis unreachable, failing open');
    const line = await out.next((l) => l.includes('failing open'));
    assert.throws(() => JSON.parse(line), 'not JSON');
    // eslint-disable-next-line no-control-regex -- ANSI colour codes begin with the ESC control character
    assert.match(line, /\u001b\[\d+m/, 'ANSI colours');
    assert.match(line, /WARN/);
    assert.match(line, /\[RateLimits\] Redis unreachable, failing open/);
  });

  it('chooses pretty output for a terminal and JSON otherwise, unless told', () => {
    assert.equal(usesPrettyLogs('auto', { isTTY: true }), true);
    assert.equal(usesPrettyLogs('auto', { isTTY: false }), false);
    assert.equal(usesPrettyLogs('auto', {}), false, 'a pipe or a file');
    assert.equal(usesPrettyLogs('json', { isTTY: true }), false);
    assert.equal(usesPrettyLogs('pretty', {}), true);
  });

  it("serves Nest's LoggerService through nestjs-pino: context, error stacks and objects", async () => {
    const out = new Lines();
    const logger = createAppLogger('webhooks', 'log', { format: 'json', destination: out });
    logger.log('delivery scheduled', 'DeliveryQueue');
    logger.error('unhandled error', 'Error: boom\n    at handler (x.ts:1:1)', 'HttpErrors');
    logger.warn({ msg: 'retrying', attempt: 2, secret: 'whsec_2' }, 'DeliveryWorker');
    logger.debug?.('not at this level', 'DeliveryQueue');
    logger.log('last line', 'DeliveryQueue');

    await out.next((l) => l.includes('last line'));
    const lines = out.lines.map(json);
    assert.deepEqual(
      lines.map((l) => [l.level, l.context, l.msg]),
      [
        ['info', 'DeliveryQueue', 'delivery scheduled'],
        ['error', 'HttpErrors', 'unhandled error'],
        ['warn', 'DeliveryWorker', 'retrying'],
        ['info', 'DeliveryQueue', 'last line'],
      ],
    );
    assert.match(String((lines[1].err as { stack: string }).stack), /at handler/);
    assert.equal(lines[2].attempt, 2);
    assert.equal(lines[2].secret, '[redacted]');
    assert.ok(lines.every((l) => l.app === 'webhooks'));
  });
});
