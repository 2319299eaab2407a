import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from './lines.js';

function lines(text: string, chunkSize: number, max = 1000): { lines: [string, number][]; tooLarge: [number, number][] } {
  const result = { lines: [] as [string, number][], tooLarge: [] as [number, number][] };
  const splitter = new LineSplitter({ line: (line, n) => result.lines.push([line, n]), tooLarge: (bytes, n) => result.tooLarge.push([bytes, n]) }, max);
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunkSize) splitter.push(bytes.subarray(i, i + chunkSize));
  splitter.end();
  return result;
}

test('CRLF and LF lines, last line without newline', () => {
  for (const chunkSize of [1, 2, 3, 100]) {
    assert.deepEqual(lines('a\r\nbb\nccc', chunkSize).lines, [['a', 1], ['bb', 2], ['ccc', 3]], String(chunkSize));
  }
});

test('a line above the limit is reported with its number', () => {
  const result = lines(`short\n${'x'.repeat(50)}\nafter\n`, 7, 20);
  assert.deepEqual(result.lines, [['short', 1], ['after', 3]]);
  assert.deepEqual(result.tooLarge, [[50, 2]]);
});

test('multi-byte characters split across chunks', () => {
  assert.deepEqual(lines('São Paulo\nMünchen\n', 1).lines, [['São Paulo', 1], ['München', 2]]);
});
