import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { SecretBox } from './secret-box';
import { generateSigningSecret, sign, signedHeaders } from './standard-webhooks';

describe('Standard Webhooks signing', () => {
  it('makes whsec_ secrets of at least 24 random bytes', () => {
    const secret = generateSigningSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    assert.ok(Buffer.from(secret.slice(6), 'base64').length >= 24);
    assert.notEqual(secret, generateSigningSecret());
  });

  it('matches the Standard Webhooks reference vector', () => {
    // From the spec's reference libraries (standard-webhooks/libraries test suite).
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const signature = sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    assert.equal(signature, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs "id.timestamp.body" with the decoded key and sets the headers', () => {
    const secret = generateSigningSecret();
    const body = JSON.stringify({ type: 'pass.created', timestamp: '2025-01-01T00:00:00.000Z', data: {} });
    const headers = signedHeaders(secret, 'msg_1', body, new Date(1_700_000_000_000));
    assert.equal(headers['webhook-timestamp'], '1700000000');
    const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update(`msg_1.1700000000.${body}`)
      .digest('base64');
    assert.equal(headers['webhook-signature'], `v1,${expected}`);
    assert.equal(headers['content-type'], 'application/json');
  });

  it('is accepted by a receiver verifying with the standardwebhooks library, and refused once the body changes', () => {
    const secret = generateSigningSecret();
    const body = JSON.stringify({ type: 'pass.scanned', data: { passId: 'p_1' } });
    const headers = signedHeaders(secret, 'msg_2', body);
    const receiver = new Webhook(secret);
    assert.deepEqual(receiver.verify(body, { ...headers }), JSON.parse(body));
    assert.throws(() => receiver.verify(body.replace('p_1', 'p_2'), { ...headers }), /signature/i);
  });
});

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('whsec_abc', 'wh_1');
    assert.ok(!sealed.includes('whsec_abc'));
    assert.equal(box.open(sealed, 'wh_1'), 'whsec_abc');
  });

  it('refuses a ciphertext moved to another subscription or tampered with', () => {
    const sealed = box.seal('whsec_abc', 'wh_1');
    assert.throws(() => box.open(sealed, 'wh_2'));
    const parts = sealed.split(':');
    parts[3] = Buffer.from('tampered').toString('base64');
    assert.throws(() => box.open(parts.join(':'), 'wh_1'));
    assert.throws(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed, 'wh_1'));
  });
});
