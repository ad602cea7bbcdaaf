/** One Server-Sent Events message. */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/**
 * A Server-Sent Events reader over fetch (so a test can send a key, a cookie or Last-Event-ID),
 * parsing the stream per the HTML spec's rules for id/event/data lines.
 */
export class SseStream {
  readonly messages: SseMessage[] = [];
  status = 0;
  ended = false;
  private waiters: (() => void)[] = [];
  private readonly controller = new AbortController();

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
    const stream = new SseStream();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: stream.controller.signal });
    stream.status = response.status;
    if (response.status !== 200 || !response.body) {
      stream.ended = true;
      stream.messages.push({ event: 'http-error', data: await response.text() });
      return stream;
    }
    void stream.read(response.body);
    return stream;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let current: Partial<SseMessage> & { dataLines: string[] } = { dataLines: [] };
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.dataLines.length || current.event) {
              this.messages.push({ id: current.id, event: current.event ?? 'message', data: current.dataLines.join('\n') });
              this.notify();
            }
            current = { dataLines: [] };
          } else if (!line.startsWith(':')) {
            const index = line.indexOf(':');
            const field = index < 0 ? line : line.slice(0, index);
            const value = index < 0 ? '' : line.slice(index + 1).replace(/^ /, '');
            if (field === 'id') current.id = value;
            else if (field === 'event') current.event = value;
            else if (field === 'data') current.dataLines.push(value);
          }
        }
      }
    } catch {
      // aborted or the server went away
    }
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Waits for the first message (from `fromIndex`) that matches, or fails after `timeoutMs`. */
  async next(match: (message: SseMessage) => boolean, timeoutMs = 15_000, fromIndex = 0): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(fromIndex).find(match);
      if (found) return found;
      if (this.ended) throw new Error(`stream ended without the message; got ${JSON.stringify(this.messages)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until the server ends the stream. */
  async closed(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('the stream did not end');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.controller.abort();
  }

  scans(): { id?: string; scan: { passId: string; result: string; code: string } }[] {
    return this.messages
      .filter((message) => message.event === 'scan')
      .map((message) => ({ id: message.id, scan: JSON.parse(message.data) }));
  }
}
