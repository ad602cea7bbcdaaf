import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { generatePassCode, PASS_CODE_PATTERN, PassLinkSigner } from './pass-link';

const key = (id: string, secret: string) => ({ id, secret });

describe('pass codes and links', () => {
  it('generates unambiguous 16-character codes that do not repeat', () => {
    const codes = new Set(Array.from({ length: 5_000 }, generatePassCode));
    assert.equal(codes.size, 5_000);
    for (const code of codes) {
      assert.match(code, PASS_CODE_PATTERN);
      assert.equal(code.length, 16);
      assert.doesNotMatch(code, /[ILOU]/);
    }
  });

  it('signs links the server can verify and rejects forgeries', () => {
    const signer = new PassLinkSigner(key('k1', 'a-secret-of-some-length'), 'https://passes.example.com');
    const url = new URL(signer.publicUrl('ABCDEFGHJKMNPQRS'));
    assert.equal(url.origin + url.pathname, 'https://passes.example.com/p/ABCDEFGHJKMNPQRS');
    const token = url.searchParams.get('token')!;
    assert.ok(signer.verify('ABCDEFGHJKMNPQRS', token));
    assert.ok(!signer.verify('ABCDEFGHJKMNPQRT', token), 'a token is bound to its code');
    assert.ok(!signer.verify('ABCDEFGHJKMNPQRS', `${token.slice(0, -1)}x`));
    assert.ok(!signer.verify('ABCDEFGHJKMNPQRS', undefined));
    assert.ok(
      !new PassLinkSigner(key('k1', 'another-secret-entirely'), 'https://x').verify('ABCDEFGHJKMNPQRS', token),
      'bound to the secret',
    );
  });

  it('carry their key id, so the secret can be rotated: old and new links are both valid during the window', () => {
    const code = 'ABCDEFGHJKMNPQRS';
    const before = new PassLinkSigner(key('k1', 'the-old-pass-link-secret'), 'https://x');
    const oldToken = before.token(code);
    assert.match(oldToken, /^k1\.[A-Za-z0-9_-]{32}$/);
    const during = new PassLinkSigner(key('k2', 'the-new-pass-link-secret'), 'https://x', key('k1', 'the-old-pass-link-secret'));
    const newToken = during.token(code);
    assert.match(newToken, /^k2\./);
    assert.ok(during.verify(code, oldToken), 'a link sent before the rotation still opens');
    assert.ok(during.verify(code, newToken));
    assert.ok(!before.verify(code, newToken), 'the old key knows nothing of k2');
    assert.ok(!during.verify(code, `k1.${newToken.slice(3)}`), 'a MAC is checked against the key its id names');
    assert.ok(!during.verify(code, `k9.${newToken.slice(3)}`), 'an unknown key id is refused');
    const after = new PassLinkSigner(key('k2', 'the-new-pass-link-secret'), 'https://x');
    assert.ok(!after.verify(code, oldToken), 'once the previous key is removed, its links are refused');
    const legacy = oldToken.slice(3);
    assert.ok(during.verify(code, legacy), 'tokens from before key ids are checked against both secrets');
  });
});
