import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { JsonStreamSplitter } from '../framing/json-stream.js';
import { STATE_STOP, structureScanner, type StructureScanner } from './structure-scan.js';

/** Everything a splitter hands its handler, in order. */
type Event = readonly unknown[];

function splitEvents(bytes: Buffer, chunkSize: number, useScanner: boolean, maxRecordBytes = 1 << 20): Event[] {
  const events: Event[] = [];
  const splitter = new JsonStreamSplitter(
    {
      record: (text, line, container, validUtf8) => {
        events.push(['record', text, line, container.kind, validUtf8]);
        try {
          JSON.parse(text);
          return true;
        } catch {
          return false;
        }
      },
      invalid: (message, line) => events.push(['invalid', message, line]),
      tooLarge: (size, line) => events.push(['tooLarge', size, line]),
      passedOver: (line) => events.push(['passedOver', line]),
    },
    maxRecordBytes,
    null,
    useScanner,
  );
  for (let offset = 0; offset < bytes.length; offset += chunkSize) splitter.push(bytes.subarray(offset, offset + chunkSize));
  splitter.end();
  return events;
}

/** Splits `text` with and without the scanner, asserts both agree, and returns the events. */
function splitBoth(text: string | Buffer, chunkSize: number, maxRecordBytes?: number): Event[] {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const withScanner = splitEvents(bytes, chunkSize, true, maxRecordBytes);
  assert.deepEqual(withScanner, splitEvents(bytes, chunkSize, false, maxRecordBytes));
  return withScanner;
}

function recordValues(events: Event[]): unknown[] {
  return events.filter((event) => event[0] === 'record').map((event) => JSON.parse(event[1] as string));
}

// Counts how often the scanner stopped for each reason, so that tests can show it did the work.
let scanner: StructureScanner;
let originalScan: StructureScanner['scan'];
const stops = [0, 0, 0, 0];

before(() => {
  const shared = structureScanner();
  assert.ok(shared !== null, 'Node 20 runs WebAssembly SIMD, so the scanner must load');
  scanner = shared;
  originalScan = scanner.scan;
  scanner.scan = function (from: number, end: number): number {
    const stopped = originalScan.call(this, from, end);
    stops[this.state[STATE_STOP]]++;
    return stopped;
  };
});

after(() => {
  scanner.scan = originalScan;
});

function stopsDuring(run: () => void): number[] {
  const before = [...stops];
  run();
  return stops.map((count, reason) => count - before[reason]);
}

test('backslash runs across block boundaries', () => {
  // JSON.stringify writes each backslash as two, so a value ending in k backslashes closes its string after
  // an even run, and one with a quote after them contains an odd run that escapes the quote.
  const records: object[] = [];
  for (let pad = 0; pad < 140; pad++) {
    for (let run = 0; run <= 3; run++) {
      records.push({ even: 'a'.repeat(pad) + '\\'.repeat(run), odd: 'b'.repeat(pad) + '\\'.repeat(run) + '"{[' + 'c'.repeat(70) });
    }
  }
  const text = '[\n' + records.map((record) => JSON.stringify(record)).join(',\n') + '\n]\n';
  const counts = stopsDuring(() => {
    for (const chunkSize of [text.length, 4096, 333, 64, 7]) {
      const events = splitBoth(text, chunkSize);
      assert.deepEqual(recordValues(events), records);
      assert.equal(events.filter((event) => event[0] === 'invalid').length, 0);
    }
  });
  assert.ok(counts[1] > records.length, `the scanner ended records ${counts[1]} times`);
});

test('backslash runs across chunk boundaries', () => {
  const record = { before: 'x'.repeat(100), run: '\\\\\\"\\', after: 'y'.repeat(100) };
  const text = `[${JSON.stringify(record)},${JSON.stringify(record)}]`;
  const runStart = text.indexOf('\\');
  for (let cut = runStart - 2; cut < runStart + 12; cut++) {
    const bytes = Buffer.from(text);
    const events: Event[] = [];
    for (const useScanner of [true, false]) {
      const splitter = new JsonStreamSplitter(
        { record: (recordText, line) => void events.push([useScanner, recordText, line]), invalid: (message) => assert.fail(message), tooLarge: () => assert.fail('too large') },
        1 << 20,
        null,
        useScanner,
      );
      splitter.push(bytes.subarray(0, cut));
      splitter.push(bytes.subarray(cut));
      splitter.end();
    }
    assert.deepEqual(events.map((event) => JSON.parse(event[1] as string)), [record, record, record, record], `cut at ${cut}`);
  }
});

test('escaped quote at a chunk boundary', () => {
  const text = `[{"message":"${'m'.repeat(90)}\\"${'n'.repeat(90)}"}]`;
  const quote = text.indexOf('\\"');
  for (const chunkSize of [quote, quote + 1, quote + 2]) {
    const events = splitBoth(text, chunkSize);
    assert.deepEqual(recordValues(events), [{ message: `${'m'.repeat(90)}"${'n'.repeat(90)}` }]);
  }
});

test('string longer than a chunk', () => {
  const records = [{ a: 'z'.repeat(5000), b: 1 }, { a: '{'.repeat(3000) + '\\' + ']'.repeat(3000), b: 2 }];
  const text = '[\n' + records.map((record) => JSON.stringify(record)).join(',\n') + '\n]';
  for (const chunkSize of [1000, 64, 4097]) {
    const events = splitBoth(text, chunkSize);
    assert.deepEqual(recordValues(events), records);
    assert.deepEqual(events.map((event) => event[2]), [2, 3]);
  }
});

test('chunk larger than the scanner memory', () => {
  const record = { a: 's'.repeat(400), nested: { b: [1, 2, { c: 'd' }] } };
  const records = Array.from({ length: 8000 }, (_, i) => ({ ...record, i }));
  const text = '[' + records.map((value) => JSON.stringify(value)).join(',\n') + ']';
  assert.ok(text.length > 2 << 20);
  const counts = stopsDuring(() => assert.deepEqual(recordValues(splitBoth(text, text.length)), records));
  assert.equal(counts[1], records.length);
});

test('newline inside a long string is damage', () => {
  const good = JSON.stringify({ a: 'x'.repeat(200), b: 'y'.repeat(200) });
  const broken = good.replace('"b":"yyy', '"b":"y\nyy');
  const text = `[\n${good},\n${broken},\n${good}\n]\n`;
  for (const chunkSize of [text.length, 100, 9]) {
    const events = splitBoth(text, chunkSize);
    assert.equal(recordValues(events).length, 2);
    const invalid = events.filter((event) => event[0] === 'invalid');
    assert.equal(invalid.length, 1);
    assert.match(invalid[0][1] as string, /record starting on line 3 .* string is not closed before the end of line 3/);
  }
});

test('backslash outside strings matches the byte loop', () => {
  const text = `[\n{"a":"${'x'.repeat(100)}",\\"b":"${'y'.repeat(100)}"},\n{"a":1,"pad":"${'p'.repeat(100)}"}\n]\n`;
  const counts = stopsDuring(() => {
    for (const chunkSize of [text.length, 50]) splitBoth(text, chunkSize);
  });
  assert.ok(counts[3] > 0, 'the scanner left the block with the backslash to the byte loop');
});

test('record missing its "}" before a line-leading "{"', () => {
  const record = (i: number): string => JSON.stringify({ i, pad: 'p'.repeat(120), nested: { deep: [{ x: i }] } });
  const text = '[\n' + [record(1), record(2).slice(0, -1), record(3), record(4)].join(',\n') + '\n]\n';
  const counts = stopsDuring(() => {
    const events = splitBoth(text, text.length);
    assert.deepEqual(recordValues(events).map((value) => (value as { i: number }).i), [1, 3, 4]);
    assert.match(events.find((event) => event[0] === 'invalid')![1] as string, /record starting on line 3 .*not closed/);
  });
  assert.ok(counts[2] > 0, 'the scanner left the line-leading "{" to the byte loop');
});

test('nesting deeper than the tracked levels', () => {
  const deep = (levels: number): unknown => (levels === 0 ? 'leaf'.repeat(30) : { k: [deep(levels - 1)] });
  const records = [deep(40), deep(70), { flat: 'f'.repeat(100) }];
  const text = '[\n' + records.map((record) => JSON.stringify(record)).join(',\n') + '\n]\n';
  for (const chunkSize of [text.length, 77]) assert.deepEqual(recordValues(splitBoth(text, chunkSize)), records);
});

test('splitters sharing the scanner interleave', () => {
  const make = (tag: string): Buffer =>
    Buffer.from('[' + Array.from({ length: 50 }, (_, i) => JSON.stringify({ tag, i, pad: tag.repeat(90) })).join(',\n') + ']');
  const inputs = [make('a'), make('b')];
  const seen: string[][] = [[], []];
  const splitters = inputs.map(
    (_, n) => new JsonStreamSplitter({ record: (text) => void seen[n].push(text), invalid: (message) => assert.fail(message), tooLarge: () => assert.fail('too large') }, 1 << 20),
  );
  for (let offset = 0; offset < inputs[0].length; offset += 500) {
    for (let n = 0; n < 2; n++) splitters[n].push(inputs[n].subarray(offset, offset + 500));
  }
  for (const splitter of splitters) splitter.end();
  for (let n = 0; n < 2; n++) assert.deepEqual(seen[n].map((text) => JSON.parse(text)), JSON.parse(inputs[n].toString()));
});

test('scanner and byte loop agree on damaged input', () => {
  const longString = fc.string({ unit: fc.constantFrom('a', 'é', '"', '\\', '{', '}', '[', ']', '\n', ' ', ','), minLength: 0, maxLength: 120 });
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, longString, fc.integer(), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.constantFrom('a', 'b', 'c', 'ResultType'), tie('node'), { maxKeys: 4, noNullPrototype: true })),
  })).node;
  const shape = fc.constantFrom('array', 'lines', 'records', 'pretty-array', 'rows');
  const damage = fc.array(fc.record({ at: fc.nat(), byte: fc.constantFrom(0x22, 0x5c, 0x0a, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, -1) }), { maxLength: 3 });
  const limit = fc.constantFrom(200, 1 << 20);
  const seen = stopsDuring(() =>
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), shape, damage, fc.integer({ min: 1, max: 300 }), limit, (records, form, edits, chunkSize, maxRecordBytes) => {
        let text: string;
        if (form === 'array') text = '[\n' + records.map((record) => JSON.stringify(record)).join(',\n') + '\n]';
        else if (form === 'records') text = JSON.stringify({ records });
        else if (form === 'rows') text = JSON.stringify({ tables: [{ name: 'PrimaryResult', columns: [{ name: 'A', type: 'dynamic' }], rows: records.map((record) => [record]) }] });
        else if (form === 'pretty-array') text = JSON.stringify(records, null, 2);
        else text = records.map((record) => JSON.stringify(record)).join('\n');

        const bytes = [...Buffer.from(text)];
        for (const edit of edits) {
          const at = edit.at % (bytes.length + 1);
          if (edit.byte === -1) bytes.splice(at, 1);
          else bytes.splice(at, 0, edit.byte);
        }
        const events = splitBoth(Buffer.from(bytes), chunkSize, maxRecordBytes);
        // Top-level values of JSON lines are not all records (an array's elements are), so only containers are checked.
        if (edits.length === 0 && form !== 'lines' && maxRecordBytes > text.length) {
          assert.deepEqual(recordValues(events), form === 'rows' ? records.map((record) => [record]) : records);
        }
      }),
      { numRuns: 600 },
    ),
  );
  for (let reason = 0; reason < 4; reason++) assert.ok(seen[reason] > 0, `the scanner stopped for reason ${reason} in ${seen[reason]} scans`);
});
