import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { DEFAULT_RETRY_DELAYS_MS } from '../config';
import { RetrySchedule } from './retry-schedule';

describe('RetrySchedule', () => {
  it('defaults to 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts in all', () => {
    const schedule = new RetrySchedule(DEFAULT_RETRY_DELAYS_MS);
    assert.equal(schedule.attempts, 8);
    const minutes = [1, 2, 3, 4, 5, 6, 7].map((n) => schedule.delayAfter(n)! / 60_000);
    assert.deepEqual(minutes, [5 / 60, 5, 30, 120, 300, 600, 600]);
    assert.equal(schedule.delayAfter(8), null, 'no retry after the last attempt');
  });

  it('gives BullMQ the delay for the number of attempts made', () => {
    const schedule = new RetrySchedule([200, 400, 800]);
    assert.deepEqual([1, 2, 3].map(schedule.backoff), [200, 400, 800]);
    assert.equal(schedule.delayAfter(0), null);
  });
});
