import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSkipReason } from './chromium.js';

test('missing Chromium fails in CI', () => {
  assert.throws(() => browserSkipReason('/nonexistent/chromium', 'true'), /Chromium not found at \/nonexistent\/chromium/);
});

test('missing Chromium skips elsewhere', () => {
  assert.match(browserSkipReason('/nonexistent/chromium', '') ?? '', /install it with: apt-get install chromium/);
});
