import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findRowStart } from './csv-resync.js';

// The rest of a row whose quoted cell lost its opening quote, then an intact row.
const rows = ['a,b,c', '  ""k"": 1', '}",3', '4,5,6', ''].join('\r\n');

test('row search skips lines that are not rows', () => {
  const bytes = Buffer.from(rows);
  const from = bytes.indexOf('\n') + 1;
  const search = findRowStart(bytes, from, 3, 1000, true);
  assert.equal(search.kind, 'found');
  assert.equal(bytes.subarray(search.kind === 'found' ? search.offset : 0).toString().startsWith('4,5,6'), true);
  assert.equal(search.lines, 2);
});

test('row search accepts rows with multi-line cells', () => {
  const bytes = Buffer.from(['junk "', 'x,"{', '  ""a"": 1', '}",z', ''].join('\n'));
  const search = findRowStart(bytes, 0, 3, 1000, true);
  assert.deepEqual(search, { kind: 'found', offset: bytes.indexOf('x,'), lines: 1 });
});

test('row search asks for more bytes', () => {
  const bytes = Buffer.from('oops\n1,"open');
  assert.deepEqual(findRowStart(bytes, 0, 2, 1000, false), { kind: 'more', offset: 5, lines: 1 });
  assert.deepEqual(findRowStart(bytes, 0, 2, 1000, true), { kind: 'none', lines: 1 });
});

test('row search rejects rows over the limit', () => {
  const bytes = Buffer.from(`1,"${'x'.repeat(100)}"\n2,y\n`);
  const search = findRowStart(bytes, 0, 2, 50, true);
  assert.deepEqual(search, { kind: 'found', offset: bytes.indexOf('2,y'), lines: 1 });
});
