import http from 'node:http';
import https from 'node:https';
import { pinnedLookup, TargetGuard, TargetRefused } from '../targets/target-guard';

export interface SendResult {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  ok: boolean;
  /** The first RESPONSE_EXCERPT_CHARS of the response body (null when there was no response). */
  responseExcerpt?: string | null;
}

const MAX_RESPONSE_BYTES = 64 * 1024;
export const RESPONSE_EXCERPT_CHARS = 500;

/**
 * One POST to a subscriber. The target is checked again here, and the request connects to the
 * very address that was checked. Redirects are not followed; the response body is read (a
 * little): its start is kept for the delivery log, the rest discarded.
 */
export class HttpSender {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 50 });

  constructor(
    private readonly guard: TargetGuard,
    private readonly timeoutMs: number,
  ) {}

  async post(targetUrl: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let target;
    try {
      target = await this.guard.resolveTarget(targetUrl);
    } catch (error) {
      const message = error instanceof TargetRefused ? `refused: ${error.message}` : `refused: ${(error as Error).message}`;
      return { statusCode: null, durationMs: elapsed(), error: message, ok: false };
    }
    const { url, address } = target;
    const secure = url.protocol === 'https:';
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (result: Omit<SendResult, 'durationMs' | 'ok'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
        resolve({ ...result, durationMs: elapsed(), ok, error: ok ? null : result.error });
      };
      const request = (secure ? https : http).request(
        url,
        {
          method: 'POST',
          agent: secure ? this.httpsAgent : this.httpAgent,
          lookup: pinnedLookup(address) as never,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Passway-Webhooks/1' },
        },
        (response) => {
          let received = 0;
          const kept: Buffer[] = [];
          response.on('data', (chunk: Buffer) => {
            if (received < RESPONSE_EXCERPT_CHARS * 4) kept.push(chunk);
            received += chunk.length;
            if (received > MAX_RESPONSE_BYTES) response.destroy();
          });
          const done = () => {
            const statusCode = response.statusCode ?? null;
            const responseExcerpt = Buffer.concat(kept).toString('utf8').slice(0, RESPONSE_EXCERPT_CHARS);
            finish({ statusCode, error: `HTTP ${statusCode}`, responseExcerpt });
          };
          response.on('end', done);
          response.on('close', done);
          response.on('error', done);
        },
      );
      const timer = setTimeout(() => {
        finish({ statusCode: null, error: `timed out after ${this.timeoutMs} ms` });
        request.destroy();
      }, this.timeoutMs);
      request.on('error', (error) => finish({ statusCode: null, error: `connection failed: ${error.message}` }));
      request.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
