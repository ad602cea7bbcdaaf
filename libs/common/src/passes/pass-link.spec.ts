import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { generatePassCode, PASS_CODE_PATTERN, PassLinkSigner } from './pass-link';

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
    const signer = new PassLinkSigner('a-secret-of-some-length', 'https://passes.example.com');
    const url = new URL(signer.publicUrl('ABCDEFGHJKMNPQRS'));
    assert.equal(url.origin + url.pathname, 'https://passes.example.com/p/ABCDEFGHJKMNPQRS');
    const token = url.searchParams.get('token')!;
    assert.ok(signer.verify('ABCDEFGHJKMNPQRS', token));
    assert.ok(!signer.verify('ABCDEFGHJKMNPQRT', token), 'a token is bound to its code');
    assert.ok(!signer.verify('ABCDEFGHJKMNPQRS', `${token.slice(0, -1)}x`));
    assert.ok(!signer.verify('ABCDEFGHJKMNPQRS', undefined));
    assert.ok(!new PassLinkSigner('another-secret-entirely', 'https://x').verify('ABCDEFGHJKMNPQRS', token), 'bound to the secret');
  });
});
