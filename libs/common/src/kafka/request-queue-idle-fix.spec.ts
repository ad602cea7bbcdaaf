import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { KafkajsRequestQueue } from './request-queue-idle-fix';

const logger = { debug: () => undefined, warn: () => undefined, info: () => undefined, error: () => undefined };

function queue(maxInFlightRequests = 1) {
  return new KafkajsRequestQueue({
    maxInFlightRequests,
    requestTimeout: 1_000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'spec:9092',
    logger,
  }) as InstanceType<typeof KafkajsRequestQueue> & {
    push(request: object): void;
    fulfillRequest(response: { correlationId: number; payload: unknown; size: number }): void;
    destroy(): void;
  };
}

function request(correlationId: number, onSend: () => void) {
  return {
    entry: { correlationId, apiName: 'Fetch', apiKey: 1, apiVersion: 11, resolve: () => undefined, reject: () => undefined },
    expectResponse: true,
    requestTimeout: 1_000,
    sendRequest: onSend,
  };
}

describe("kafkajs's request queue", () => {
  it('leaves no timer behind once a response is in and nothing waits (kafkajs 2.2.4 looped every millisecond)', () => {
    const requests = queue();
    requests.push(request(1, () => undefined));
    requests.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    assert.equal(requests.throttleCheckTimeoutId, null);
    assert.equal(requests.pending.length, 0);
  });

  it('still sends a request held back by client-side throttling once the throttle ends', async () => {
    const requests = queue();
    requests.throttledUntil = Date.now() + 30;
    const throttledAt = Date.now();
    const sent = new Promise<number>((resolve) => requests.push(request(1, () => resolve(Date.now()))));
    assert.equal(requests.pending.length, 1);
    assert.ok((await sent) - throttledAt >= 25, 'sent only after the throttle');
    requests.destroy();
  });

  it('sends a request queued behind a full in-flight window when the one in flight is answered', async () => {
    const requests = queue(1);
    requests.push(request(1, () => undefined));
    const second = new Promise<void>((resolve) => requests.push(request(2, resolve)));
    assert.equal(requests.pending.length, 1);
    requests.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    await second;
    requests.fulfillRequest({ correlationId: 2, payload: null, size: 0 });
    assert.equal(requests.pending.length, 0);
    requests.destroy();
  });
});
