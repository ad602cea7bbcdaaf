import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { bucketKey, LocalAdmission, packBucket, unpackBucket } from './admission-bucket';
import { bytesToCodeHash, codeHashToBytes } from './code-hash';

const EVENT = '7d6f0c8e-4a43-4a8f-9f1e-0a6f3c1b2d44';
const hashOf = (code: string) => createHash('sha256').update(code).digest('base64url');

describe('the packed offline copy', () => {
  it('gives back every admission as it was stored, nulls and shared names included', () => {
    const admissions: LocalAdmission[] = [
      {
        codeHash: hashOf('AAAAAAAAAAAA'),
        eventId: EVENT,
        type: 'single',
        status: 'active',
        validFrom: Date.parse('2031-07-01T18:00:00.250Z'),
        validUntil: Date.parse('2031-07-02T02:00:00Z'),
        maxUsages: null,
        usagesCount: 0,
        name: 'General admission',
        holderName: 'Ada Lovelace',
      },
      {
        codeHash: hashOf('BBBBBBBBBBBB'),
        eventId: EVENT,
        type: 'multi',
        status: 'revoked',
        validFrom: null,
        validUntil: null,
        maxUsages: 10,
        usagesCount: 7,
        name: 'General admission',
        holderName: null,
      },
      {
        codeHash: hashOf('CCCCCCCCCCCC'),
        eventId: EVENT,
        type: 'single',
        status: 'used',
        validFrom: null,
        validUntil: 0,
        maxUsages: 1,
        usagesCount: 1,
        name: null,
        holderName: 'Zoë Ünïcode',
      },
    ];
    const bucket = packBucket('k', EVENT, admissions);
    assert.deepEqual(unpackBucket(bucket), admissions);
    assert.deepEqual(bucket.strings, ['General admission', 'Ada Lovelace', 'Zoë Ünïcode'], 'a shared name is kept once');
    assert.equal(bucket.hashes.byteLength, 3 * 32);
  });

  it('keeps a hash in 32 bytes and reads it back as the feed wrote it', () => {
    for (const code of ['AAAAAAAAAAAA', 'Z9Z9Z9Z9Z9Z9Z9Z9', 'QWERTYUPASDFGHJK']) {
      const hash = hashOf(code);
      assert.equal(codeHashToBytes(hash).length, 32);
      assert.equal(bytesToCodeHash(codeHashToBytes(hash)), hash);
    }
  });

  it('buckets by event and the first character of the hash', () => {
    assert.equal(bucketKey({ eventId: EVENT, codeHash: '_abc' }), `${EVENT}/_`);
    assert.notEqual(bucketKey({ eventId: EVENT, codeHash: 'a' }), bucketKey({ eventId: EVENT, codeHash: 'A' }));
  });
});
