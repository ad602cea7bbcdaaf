/** Over this, a request counts as failed and the door switches to offline mode. */
export const SLOW_REQUEST_MS = 2_000;
const HEALTH_POLL_MS = 3_000;
/** /health may take a moment on a loaded server; any answer in this time brings the door back. */
const HEALTH_TIMEOUT_MS = 5_000;

export type Mode = 'online' | 'offline';

/**
 * Automatic online/offline switching: a request that fails or takes over 2 s moves the door to
 * offline mode; while offline it asks /health every 3 s and goes back online when it answers.
 */
export class Connectivity {
  private current: Mode = typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : 'online';
  private readonly listeners = new Set<(mode: Mode) => void>();
  private poller: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly healthUrl = '/health') {
    if (typeof window !== 'undefined') {
      window.addEventListener('offline', () => this.wentOffline());
      window.addEventListener('online', () => this.probe());
    }
    if (this.current === 'offline') this.schedule();
  }

  get mode(): Mode {
    return this.current;
  }

  subscribe(listener: (mode: Mode) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A request that did not answer in time, or not at all. */
  wentOffline(): void {
    if (this.current === 'offline') return;
    this.set('offline');
    this.schedule();
  }

  /**
   * Asks /health now; back online as soon as it answers at all. Its 503 ("some service is not
   * ready") still proves the gateway is reachable; if the scans service itself is down, the next
   * scan fails over to offline again.
   */
  async probe(): Promise<boolean> {
    try {
      await fetch(this.healthUrl, { cache: 'no-store', signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
      clearTimeout(this.poller);
      this.poller = undefined;
      this.set('online');
      return true;
    } catch {
      // still unreachable
    }
    if (this.current === 'offline') this.schedule();
    return false;
  }

  private schedule(): void {
    clearTimeout(this.poller);
    this.poller = setTimeout(() => void this.probe(), HEALTH_POLL_MS);
  }

  private set(mode: Mode): void {
    if (this.current === mode) return;
    this.current = mode;
    for (const listener of this.listeners) listener(mode);
  }
}
