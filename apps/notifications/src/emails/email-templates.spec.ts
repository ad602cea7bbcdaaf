import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { renderPassIssued, renderPassRevoked } from './email-templates';

const pass = {
  code: 'ABCDEFGH12345678',
  name: '<script>alert("x")</script>',
  status: 'active' as const,
  validFrom: null,
  validUntil: '2030-05-01T12:00:00.000Z',
  publicUrl: 'https://passes.example.test/p/ABCDEFGH12345678?token=abc&x="y"',
  fields: [
    { key: 'Seat', value: '<img src=x onerror=alert(1)>', isPublic: true },
    { key: 'Secret', value: 'PRIVATE', isPublic: false },
  ],
};

describe('holder email templates', () => {
  it('escapes everything that came from the tenant', () => {
    const { html, subject, text } = renderPassIssued(pass, null);
    assert.ok(!html.includes('<script'));
    assert.ok(!html.includes('<img src=x'));
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.ok(html.includes('href="https://passes.example.test/p/ABCDEFGH12345678?token=abc&amp;x=&quot;y&quot;"'));
    assert.equal(subject, 'Your pass: <script>alert("x")</script>');
    assert.ok(text.includes('Seat: <img src=x onerror=alert(1)>'), 'the text part is plain text');
  });

  it('shows a button for each offered wallet, behind the same signed link', () => {
    const both = renderPassIssued(pass, null, { apple: true, google: true });
    assert.ok(both.html.includes('href="https://passes.example.test/p/ABCDEFGH12345678/wallet/apple?token=abc&amp;x=&quot;y&quot;"'));
    assert.ok(both.html.includes('>Add to Apple Wallet</a>') && both.html.includes('>Add to Google Wallet</a>'));
    assert.ok(both.text.includes('Add to Google Wallet: https://passes.example.test/p/ABCDEFGH12345678/wallet/google?token=abc&x="y"'));
    const appleOnly = renderPassIssued(pass, null, { apple: true, google: false });
    assert.ok(appleOnly.html.includes('Add to Apple Wallet') && !appleOnly.html.includes('Google Wallet'));
    assert.ok(!renderPassIssued(pass, null).html.includes('Wallet'), 'no wallet configured, no button');
  });

  it('leaves private fields out of both parts', () => {
    const { html, text } = renderPassIssued(pass, null);
    assert.ok(!html.includes('PRIVATE') && !text.includes('PRIVATE') && !html.includes('Secret'));
  });

  it('uses valid template colours and an https logo, and ignores anything else', () => {
    const branded = renderPassIssued(pass, {
      name: 'Acme',
      primaryColor: '#AA0000',
      backgroundColor: '#fafafa',
      textColor: '#101010',
      logoUrl: 'https://cdn.example.test/l.png',
    });
    assert.ok(
      branded.html.includes('#aa0000') && branded.html.includes('#fafafa') && branded.html.includes('src="https://cdn.example.test/l.png"'),
    );
    const hostile = renderPassIssued(pass, {
      name: 'x',
      primaryColor: 'red;background:url(//evil)',
      backgroundColor: null,
      textColor: null,
      logoUrl: 'javascript:alert(1)',
    });
    assert.ok(!hostile.html.includes('evil') && !hostile.html.includes('javascript:'));
  });

  it('keeps subjects on one line', () => {
    assert.equal(renderPassIssued({ ...pass, name: 'a\r\nBcc: x@y' }, null).subject, 'Your pass: a Bcc: x@y');
  });

  it('says a revoked pass was revoked, without a QR', () => {
    const { subject, html, text } = renderPassRevoked({ ...pass, name: 'Gala' }, null);
    assert.equal(subject, 'Your pass was revoked: Gala');
    assert.ok(html.includes('Your pass was revoked.') && !html.includes('cid:'));
    assert.ok(text.includes('can no longer be used'));
  });
});
