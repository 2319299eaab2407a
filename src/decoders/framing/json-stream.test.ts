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
      record: (recordText: string, line: number, container: RecordContainer) => {
        let value: unknown;
        try {
          value = JSON.parse(recordText);
        } catch (error) {
          result.invalid.push({ message: (error as Error).message, line });
          return false;
        }
        result.records.push({ value, line, container: container.kind });
        return true;
      },
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

/** 31 records with nested objects and arrays of objects, as sign-in exports have. */
function nestedRecords(): { i: number; a: string; location: object; policies: object[] }[] {
  return Array.from({ length: 31 }, (_, i) => ({ i, a: 'x', location: { city: 'Paris', geo: { lat: 48.8 } }, policies: [{ id: 'p1' }, { id: 'p2' }] }));
}

function indexes(result: Split): number[] {
  return result.records.map((r) => (r.value as { i: number }).i);
}

function withoutIndex(skipped: number): number[] {
  return nestedRecords().map((record) => record.i).filter((i) => i !== skipped);
}

test('unclosed string in a compact array costs one record', () => {
  const text = '[' + nestedRecords().map((record) => JSON.stringify(record)).join(',\n') + ']\n';
  const broken = text.replace('{"i":10,"a":"x"', '{"i":10,"a":"x');
  for (const chunkSize of [broken.length + 1, 13]) {
    const result = split(broken, chunkSize);
    assert.deepEqual(indexes(result), withoutIndex(10));
    assert.deepEqual(result.invalid.map((skip) => skip.line), [11]);
    assert.match(result.invalid[0].message, /record starting on line 11 .* string is not closed before the end of line 11/);
  }
});

test('unclosed string in a pretty-printed array costs one record', () => {
  const lines = JSON.stringify(nestedRecords(), null, 2).split('\n');
  const at = lines.indexOf('    "i": 10,');
  lines[at + 1] = '    "a": "x,';
  for (const chunkSize of [1 << 20, 5]) {
    const result = split(lines.join('\n'), chunkSize);
    assert.deepEqual(indexes(result), withoutIndex(10));
    assert.deepEqual(result.invalid.map((skip) => skip.line), [at]);
  }
});

test('unclosed string in the last element stops at "]"', () => {
  const text = '{"records": [\n' + nestedRecords().slice(0, 3).map((record) => JSON.stringify(record)).join(',\n') + '\n]}\n{"i": 99}\n';
  const result = split(text.replace('{"i":2,"a":"x"', '{"i":2,"a":"x'));
  assert.deepEqual(indexes(result), [0, 1, 99]);
  assert.deepEqual(result.invalid.map((skip) => skip.line), [4]);
});

test('unclosed string among pretty-printed objects', () => {
  const text = nestedRecords().map((record) => JSON.stringify(record, null, 2)).join('\n');
  const broken = text.replace('"i": 5,\n  "a": "x"', '"i": 5,\n  "a": "x');
  const result = split(broken);
  assert.deepEqual(indexes(result), withoutIndex(5));
  assert.equal(result.invalid.length, 1);
  assert.match(result.invalid[0].message, /record starting on line 91 /);
});

test('record missing its "}" costs one record', () => {
  const pretty = JSON.stringify(nestedRecords(), null, 2).split('\n');
  const start = pretty.indexOf('    "i": 20,') - 1;
  const end = pretty.indexOf('  },', start);
  const cases = [
    [...pretty.slice(0, end), ...pretty.slice(end + 1)],
    [...pretty.slice(0, end), '  ,', ...pretty.slice(end + 1)],
  ];
  for (const lines of cases) {
    const result = split(lines.join('\n'));
    assert.deepEqual(indexes(result), withoutIndex(20));
    assert.deepEqual(result.invalid.map((skip) => skip.line), [start + 1]);
    assert.match(result.invalid[0].message, /not closed \("}" or "]" missing\)/);
  }

  const compact = nestedRecords().map((record) => JSON.stringify(record)).join('\n');
  const result = split(compact.replace('"geo":{"lat":48.8}},"policies":[{"id":"p1"},{"id":"p2"}]}\n{"i":8', '"geo":{"lat":48.8}},"policies":[{"id":"p1"},{"id":"p2"}]\n{"i":8'));
  assert.deepEqual(indexes(result), withoutIndex(7));
  assert.deepEqual(result.invalid.map((skip) => skip.line), [8]);
});

test('invalid record on one line keeps the rest', () => {
  const result = split('[{"i":1,"a":NaN},{"i":2},{"i":3}]\n');
  assert.deepEqual(indexes(result), [2, 3]);
  assert.deepEqual(result.invalid.map((skip) => skip.line), [1]);
});

test('nested objects at line starts are not records', () => {
  const records = nestedRecords();
  // Arrays of objects written with no indentation: valid JSON whose nested "{" lines sit at the record's column.
  const flat = '[\n' + records.map((record) => JSON.stringify(record).replace('"policies":[', '"policies":[\n').replace('},{"id":"p2"}', '},\n{"id":"p2"}')).join(',\n') + '\n]';
  for (const text of [JSON.stringify(records, null, 2), JSON.stringify(records, null, '\t'), flat, records.map((record) => JSON.stringify(record, null, 4)).join('\n')]) {
    const result = split(text);
    assert.equal(result.invalid.length, 0, text.slice(0, 200));
    assert.deepEqual(result.records.map((r) => r.value), records);
  }
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
    fc.property(documents, fc.integer({ min: 1, max: 17 }), fc.constantFrom('array', 'lines', 'records', 'pretty', 'pretty-array'), (records, chunkSize, shape) => {
      let text: string;
      if (shape === 'array') text = JSON.stringify(records);
      else if (shape === 'records') text = JSON.stringify({ records });
      else if (shape === 'pretty-array') text = JSON.stringify(records.map((record) => ({ ...record, nested: [record, { inner: record }] })), null, 2);
      else if (shape === 'pretty') text = records.map((record) => JSON.stringify(record, null, 2)).join('\n');
      else text = records.map((record) => JSON.stringify(record)).join('\n');

      const whole = split(text);
      const chunked = split(text, chunkSize);
      assert.deepEqual(chunked, whole);
      assert.equal(whole.invalid.length, 0);
      if (shape !== 'pretty-array') assert.deepEqual(whole.records.map((r) => r.value), records);
    }),
    { numRuns: 300 },
  );
});
