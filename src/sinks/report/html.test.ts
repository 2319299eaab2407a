import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { cspHash, escapeHtml, jsonForScriptBlock } from './html.js';

test('escapeHtml escapes markup and quotes', () => {
  assert.equal(escapeHtml(`<img src=x onerror="alert('1')">&`), '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  assert.equal(escapeHtml(42), '42');
});

test('jsonForScriptBlock cannot close its script block', () => {
  const payload = { upn: '</script><script>alert(1)</script>', comment: '<!-- x -->', separators: '\u2028\u2029', amp: 'a&b', bidi: 'evil\u202e\u009b' };
  const text = jsonForScriptBlock(payload);

  assert.equal(text.includes('<'), false);
  assert.equal(text.includes('>'), false);
  assert.equal(text.includes('\u2028'), false);
  assert.equal(/[\u202e\u009b]/.test(text), false);
  assert.deepEqual(JSON.parse(text), payload);
});

test('cspHash is the base64 SHA-256 of the text', () => {
  const expected = createHash('sha256').update('body{}').digest('base64');
  assert.equal(cspHash('body{}'), `'sha256-${expected}'`);
});
