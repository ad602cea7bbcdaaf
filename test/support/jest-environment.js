// Jest's node environment, except that `exit` handlers test code registers on `process` reach the
// worker's real process. Jest gives each test file a copy of `process` whose listeners never fire,
// so the stacks, brokers and Redis servers a file starts (tools/stack, test/support/kafka-brokers,
// local-redis) would outlive a worker that dies; with this they are killed with it, as when each
// file ran in a process of its own. SIGINT/SIGTERM make the worker exit (so those handlers run)
// while a file has any. A file's handlers are dropped when it ends (its afterAll stopped what it
// started).
const { TestEnvironment } = require('jest-environment-node');

const exitOnSignal = (signal) => () => process.exit(128 + (signal === 'SIGINT' ? 2 : 15));

class PasswayTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.exitHandlers = [];
    this.signalHandlers = [];
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
    for (const listener of this.exitHandlers) process.removeListener('exit', listener);
    for (const [signal, handler] of this.signalHandlers) process.removeListener(signal, handler);
    this.exitHandlers = [];
    this.signalHandlers = [];
    await super.teardown();
  }
}

module.exports = PasswayTestEnvironment;
