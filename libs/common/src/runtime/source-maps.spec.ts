import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';

const dist = (file: string) => join(__dirname, '..', '..', '..', '..', 'dist', 'libs', 'common', 'src', file);

// Runs the compiled code, as the apps do (npm test builds dist first).
describe('source maps in the apps', () => {
  it("points a stack trace of our compiled code at the TypeScript line, without Node's --enable-source-maps", () => {
    const script = `
      require(${JSON.stringify(dist('runtime/source-maps'))});
      const { parseEvent } = require(${JSON.stringify(dist('events/envelope'))});
      try { parseEvent('not json'); } catch (error) { process.stdout.write(error.stack); }`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /libs\/common\/src\/events\/envelope\.ts:\d+:\d+/);
  });
});
