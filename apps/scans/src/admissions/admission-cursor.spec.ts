import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { DomainError } from '@passway/common';
import { decodeCursor, encodeCursor } from './admission-cursor';

describe('admission feed cursor', () => {
  it('round-trips a delta start and a page position', () => {
    const start = { from: '812', next: '815', after: null };
    assert.deepEqual(decodeCursor(encodeCursor(start)), start);
    const page = { from: '0', next: '900', after: { xid: '845', passId: '0b0c7f9e-6a1d-4c2e-9f1a-2b3c4d5e6f70' } };
    assert.deepEqual(decodeCursor(encodeCursor(page)), page);
  });

  it('refuses anything it did not make as a 400', () => {
    for (const text of [
      '',
      'abc',
      Buffer.from('1.2.3').toString('base64url'),
      Buffer.from("1.2.3.x'--").toString('base64url'),
      Buffer.from('-1.2').toString('base64url'),
    ]) {
      assert.throws(
        () => decodeCursor(text),
        (error: unknown) => error instanceof DomainError && error.kind === 'invalid_argument',
        text,
      );
    }
  });
});
