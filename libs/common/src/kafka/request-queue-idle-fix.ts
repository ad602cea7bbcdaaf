import { createRequire } from 'node:module';

/** The part of kafkajs's (untyped, internal) per-connection request queue this fix touches. */
interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own interval for a queue whose pending requests are held back. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/**
 * kafkajs 2.2.4 (its last release) re-checks every connection's pending requests after each
 * response, and when nothing is pending and nothing is throttled it schedules the next check with
 * a negative delay: a 1 ms timer loop on every open connection, for the life of the process
 * (tulios/kafkajs#1556, #1704; fix proposed in #1667, never released). In Passway that loop was
 * most of every app's CPU at rest and ran under load too. Here a check is scheduled only when
 * requests are waiting: a new request (push) or a response schedules again when there is
 * something to send, so nothing is left waiting.
 */
function scheduleCheckPendingRequests(this: RequestQueue): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const throttledForMs = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttledForMs > 0 ? throttledForMs : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
}

const kafkajsRequire = createRequire(require.resolve('kafkajs'));
/** kafkajs's RequestQueue class, with the fixed scheduling installed (once per process). */
export const KafkajsRequestQueue = kafkajsRequire('./src/network/requestQueue') as {
  new (options: object): RequestQueue;
  prototype: RequestQueue;
};
KafkajsRequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
