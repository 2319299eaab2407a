import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml } from './report/html.js';
import { csvCell, escapeTerminal, safeJsonStringify } from './escape.js';

// A UPN that reads "admin@contoso.com" with a zero-width space, and one that a right-to-left override flips.
const LOOKALIKE = 'ad\u200bmin@contoso.com';
const FLIPPED = 'x\u202egnp.exe@evil.com';

test('terminal shows zero-width and bidi characters', () => {
  assert.equal(escapeTerminal(LOOKALIKE), 'ad\\u{200b}min@contoso.com');
  assert.equal(escapeTerminal(FLIPPED), 'x\\u{202e}gnp.exe@evil.com');
  assert.equal(escapeTerminal('a\u2028b\ufeffc'), 'a\\u{2028}b\\u{feff}c');
});

test('CSV shows zero-width and bidi characters', () => {
  assert.equal(csvCell(LOOKALIKE), '"ad\\u{200b}min@contoso.com"');
  assert.equal(csvCell('app\u2028name'), '"app\\u{2028}name"');
});

test('JSON escapes them and keeps the value', () => {
  const text = safeJsonStringify({ upn: LOOKALIKE, other: FLIPPED });
  assert.ok(!/[\u200b\u202e]/.test(text));
  assert.deepEqual(JSON.parse(text), { upn: LOOKALIKE, other: FLIPPED });
});

test('HTML shows them and escapes markup', () => {
  assert.equal(escapeHtml(FLIPPED), 'x\\u{202e}gnp.exe@evil.com');
  assert.equal(escapeHtml('<b>\u200b</b>'), '&lt;b&gt;\\u{200b}&lt;/b&gt;');
  assert.equal(escapeHtml('line\nbreak'), 'line\nbreak');
});
