import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { JsonStreamSplitter, type RecordContainer } from './json-stream.js';

interface Split {
  records: { value: unknown; line: number; container: string }[];
  invalid: { message: string; line: number }[];
  tooLarge: number[];
}

function split(text: string, chunkSize = text.length + 1, maxRecordBytes = 1 << 20): Split {
  const result: Split = { records: [], invalid: [], tooLarge: [] };
  const splitter = new JsonStreamSplitter(
    {
      record: (recordText: string, line: number, container: RecordContainer) =>
        result.records.push({ value: JSON.parse(recordText), line, container: container.kind }),
      invalid: (message, line) => result.invalid.push({ message, line }),
      tooLarge: (bytes) => result.tooLarge.push(bytes),
    },
    maxRecordBytes,
  );
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += chunkSize) splitter.push(bytes.subarray(offset, offset + chunkSize));
  splitter.end();
  return result;
}

test('top-level array elements are records', () => {
  const result = split('[\n  {"a": 1},\n  {"a": "}]"}\n]\n');
  assert.deepEqual(result.records.map((r) => r.value), [{ a: 1 }, { a: '}]' }]);
  assert.deepEqual(result.records.map((r) => r.line), [2, 3]);
  assert.equal(result.invalid.length, 0);
});

test('arrays written back to back', () => {
  const result = split('[{"a":1},{"a":2}]\n[{"a":3}]\r\n');
  assert.deepEqual(result.records.map((r) => r.value), [{ a: 1 }, { a: 2 }, { a: 3 }]);
});

test('bare objects back to back, pretty-printed', () => {
  const result = split('{\n "a": {"b": [1, 2]}\n}\n{\n "a": 2\n}');
  assert.deepEqual(result.records.map((r) => r.value), [{ a: { b: [1, 2] } }, { a: 2 }]);
  assert.deepEqual(result.records.map((r) => r.line), [1, 4]);
});

test('Event Hubs and Graph envelopes are opened', () => {
  const hubs = split('{"records": [{"time": "t1"}, {"time": "t2"}]}');
  assert.deepEqual(hubs.records.map((r) => [r.value, r.container]), [
    [{ time: 't1' }, 'records'],
    [{ time: 't2' }, 'records'],
  ]);

  const graph = split('{"@odata.context": "https://graph/$metadata#auditLogs/signIns", "value": [{"id": "1"}], "@odata.nextLink": "x"}');
  assert.deepEqual(graph.records.map((r) => [r.value, r.container]), [[{ id: '1' }, 'value']]);
});

test('query API rows come with their columns', () => {
  const text = JSON.stringify({
    tables: [{ name: 'PrimaryResult', columns: [{ name: 'A', type: 'string' }], rows: [['x'], ['y']] }],
  });
  const result = split(text, 7);
  assert.deepEqual(result.records.map((r) => [r.value, r.container]), [
    [['x'], 'rows'],
    [['y'], 'rows'],
  ]);
});

test('truncated input is reported with its line', () => {
  const result = split('[{"a":1},\n{"a":');
  assert.deepEqual(result.records.map((r) => r.value), [{ a: 1 }]);
  assert.equal(result.invalid.length, 1);
  assert.match(result.invalid[0].message, /line 2/);
});

test('garbage between records is skipped to the next line', () => {
  const result = split('{"a":1}\nGARBAGE here\n{"a":2}\n');
  assert.deepEqual(result.records.map((r) => r.value), [{ a: 1 }, { a: 2 }]);
  assert.equal(result.invalid.length, 1);
  assert.equal(result.invalid[0].line, 2);
});

test('records above the size limit are skipped, not held', () => {
  const big = JSON.stringify({ a: 'x'.repeat(5000) });
  const result = split(`[${big},{"b":1}]`, 100, 1000);
  assert.deepEqual(result.records.map((r) => r.value), [{ b: 1 }]);
  assert.equal(result.tooLarge.length, 1);
});

test('chunk boundaries never change the records', () => {
  const documents = fc.array(
    fc.dictionary(fc.string({ maxLength: 5 }).filter((key) => key !== '__proto__'), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 })), { noNullPrototype: true }),
    { maxLength: 5 },
  );
  fc.assert(
    fc.property(documents, fc.integer({ min: 1, max: 17 }), fc.constantFrom('array', 'lines', 'records', 'pretty'), (records, chunkSize, shape) => {
      let text: string;
      if (shape === 'array') text = JSON.stringify(records);
      else if (shape === 'records') text = JSON.stringify({ records });
      else if (shape === 'pretty') text = records.map((record) => JSON.stringify(record, null, 2)).join('\n');
      else text = records.map((record) => JSON.stringify(record)).join('\n');

      const whole = split(text);
      const chunked = split(text, chunkSize);
      assert.deepEqual(chunked, whole);
      assert.deepEqual(whole.records.map((r) => r.value), records);
    }),
    { numRuns: 300 },
  );
});
