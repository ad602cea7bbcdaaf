/**
 * The automatic retry schedule: attempt 1 goes at once, attempt n+1 after delays[n-1].
 * BullMQ calls `backoff` (registered as the worker's custom strategy) with the number of
 * attempts made so far.
 */
export class RetrySchedule {
  static readonly BACKOFF_TYPE = 'webhook-schedule';

  constructor(readonly delaysMs: readonly number[]) {}

  get attempts(): number {
    return this.delaysMs.length + 1;
  }

  /** Delay after the given number of failed attempts, or null when none is left. */
  delayAfter(attemptsMade: number): number | null {
    return attemptsMade >= 1 && attemptsMade <= this.delaysMs.length ? this.delaysMs[attemptsMade - 1] : null;
  }

  backoff = (attemptsMade: number): number => this.delayAfter(attemptsMade) ?? this.delaysMs[this.delaysMs.length - 1];
}
