// Jest's node environment, with two differences. `exit` handlers test code registers on `process`
// reach the worker's real process. Jest gives each test file a copy of `process` whose listeners never fire,
// so the stacks, brokers and Redis servers a file starts (tools/stack, test/support/kafka-brokers,
// local-redis) would outlive a worker that dies; with this they are killed with it, as when each
// file ran in a process of its own. SIGINT/SIGTERM make the worker exit (so those handlers run)
// while a file has any. A file's handlers are dropped when it ends (its afterAll stopped what it
// started). And fetch's response.json() makes the test's own kind of objects (below).
const { TestEnvironment } = require('jest-environment-node');

const exitOnSignal = (signal) => () => process.exit(128 + (signal === 'SIGINT' ? 2 : 15));

class PasswayTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.exitHandlers = [];
    this.signalHandlers = [];
    // fetch's response.json() parses in Node's own realm: its arrays and objects fail
    // deepStrictEqual against the test's literals ("no visual difference"). Here the sandbox's
    // JSON parses the body, so a response body is the test's own kind of object.
    const realFetch = this.global.fetch;
    const sandboxJson = this.global.JSON;
    this.global.fetch = async (...args) => {
      const response = await realFetch(...args);
      response.json = async () => sandboxJson.parse(await response.text());
      return response;
    };
    const sandboxProcess = this.global.process;
    for (const method of ['on', 'once', 'addListener']) {
      const original = sandboxProcess[method];
      sandboxProcess[method] = (event, listener) => {
        if (event !== 'exit') return original.call(sandboxProcess, event, listener);
        if (this.exitHandlers.length === 0) this.watchSignals();
        process[method]('exit', listener);
        this.exitHandlers.push(listener);
        return sandboxProcess;
      };
    }
  }

  watchSignals() {
    for (const signal of ['SIGINT', 'SIGTERM']) {
      const handler = exitOnSignal(signal);
      process.once(signal, handler);
      this.signalHandlers.push([signal, handler]);
    }
  }

  async teardown() {
    // A fresh connection pool for fetch per test file, as when each file ran in its own process: a
    // keep-alive socket left idle by the last file can be closed by the server just as the next
    // file reuses it ("other side closed").
    const dispatcherKey = Symbol.for('undici.globalDispatcher.1');
    const dispatcher = globalThis[dispatcherKey];
    if (dispatcher) {
      globalThis[dispatcherKey] = new dispatcher.constructor();
      dispatcher.close().catch(() => undefined);
    }
    for (const listener of this.exitHandlers) process.removeListener('exit', listener);
    for (const [signal, handler] of this.signalHandlers) process.removeListener(signal, handler);
    this.exitHandlers = [];
    this.signalHandlers = [];
    await super.teardown();
  }
}

module.exports = PasswayTestEnvironment;
