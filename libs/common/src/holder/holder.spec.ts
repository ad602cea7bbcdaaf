import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { escapeHtml, holderTheme, DEFAULT_THEME } from './html';
import { describeValidity } from './pass-display';

describe('holder rendering helpers', () => {
  it('escapes the five HTML-significant characters', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    assert.equal(escapeHtml(null), '');
  });

  it('keeps only #rrggbb colours and https logos from a template', () => {
    assert.deepEqual(holderTheme(null), DEFAULT_THEME);
    const theme = holderTheme({
      name: 'T',
      primaryColor: '#ABCDEF',
      backgroundColor: 'red',
      textColor: '#12345',
      logoUrl: 'http://x.test/l.png',
    });
    assert.equal(theme.primary, '#abcdef');
    assert.equal(theme.background, DEFAULT_THEME.background);
    assert.equal(theme.text, DEFAULT_THEME.text);
    assert.equal(theme.logoUrl, null);
  });

  it('describes validity in UTC', () => {
    assert.equal(describeValidity(null, null), 'No expiry');
    assert.equal(describeValidity(null, '2030-01-02T03:04:00Z'), 'Valid until 2 Jan 2030, 03:04 UTC');
    assert.equal(describeValidity('2030-01-01T00:00:00Z', null), 'Valid from 1 Jan 2030, 00:00 UTC');
  });
});
