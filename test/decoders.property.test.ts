import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JsonStreamSplitter } from '../src/decoders/framing/json-stream.js';
import { LineSplitter } from '../src/decoders/framing/lines.js';
import { SKIP_REASON_TEXT } from '../src/decoders/schemas/result.js';
import { baseRecords, graphBeta } from './helpers/layouts.js';
import { decodeBytes, indexesOf, type Decoded } from './helpers/decode.js';

/**
 * Property tests of the decoders: random and mutated bytes must never crash them, every record read must be
 * reported exactly once (kept or skipped with a known reason), and no record larger than the limit is held.
 */

const records = baseRecords().slice(0, 12);
const jsonLines = records.map((record) => JSON.stringify(record));
const graphArray = JSON.stringify(records.map(graphBeta), null, 2);
const entraCsv = [
  'Date (UTC),Request ID,Username,Application ,IP address,Location,Status,Sign-in error code,Failure reason,Browser,Operating System,Incoming token type,Incoming token type',
  ...records.map((record, i) => `2025-04-12T09:0${i % 10}:00Z,id-${i},${record.properties.userPrincipalName ?? ''},Azure Portal,203.0.113.${i},"Hanoi, Ha Noi, VN",Failure,50126,Invalid password,Chrome,Windows 10,none,none`),
].join('\r\n');
const VALID_INPUTS = [jsonLines.join('\n'), jsonLines.join('\r\n'), graphArray, `${graphArray}\n${graphArray}`, JSON.stringify({ value: records.map(graphBeta) }), entraCsv];

const KNOWN_REASONS = new Set(Object.keys(SKIP_REASON_TEXT));

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function assertAccounting(decoded: Decoded): void {
  const indexes = indexesOf(decoded);
  assert.deepEqual(indexes, Array.from({ length: indexes.length }, (_, i) => i + 1), 'every record is reported once, in order');
  for (const skip of decoded.skips) assert.ok(KNOWN_REASONS.has(skip.reason), skip.reason);
}

/** A mutation of a valid input: flip, delete, insert or duplicate bytes, or cut the input short. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(input: Buffer, mutations: readonly Mutation[]): Buffer {
  let bytes = input;
  for (const change of mutations) {
    const at = bytes.length === 0 ? 0 : change.at % bytes.length;
    switch (change.kind) {
      case 'flip':
        bytes = Buffer.from(bytes);
        if (bytes.length > 0) bytes[at] = change.byte;
        break;
      case 'delete':
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + change.length)]);
        break;
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(change.bytes), bytes.subarray(at)]);
        break;
      case 'duplicate':
        bytes = Buffer.concat([bytes.subarray(0, at + change.length), bytes.subarray(at)]);
        break;
      case 'cut':
        bytes = bytes.subarray(0, at);
        break;
    }
  }
  return bytes;
}

describe('decoder properties', () => {
  it('random bytes never crash and are all accounted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.integer({ min: 1, max: 512 }), async (bytes, chunk) => {
        assertAccounting(await decodeBytes('random', Buffer.from(bytes), {}, chunk));
      }),
      { numRuns: 300 },
    );
  });

  it('random JSON-ish text never crashes', async () => {
    const token = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '\n', '\r\n', ' ', 'true', 'null', '1e9', '"records"', '"value"', '"tables"', '"rows"', '"columns"', '"message"', '"time"', '"category"', '"createdDateTime"', '"properties"', '\u00e9', '\uFEFF');
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 400 }), fc.integer({ min: 1, max: 64 }), async (tokens, chunk) => {
        assertAccounting(await decodeBytes('tokens.json', tokens.join(''), {}, chunk));
      }),
      { numRuns: 400 },
    );
  });

  it('mutated valid inputs never crash and are all accounted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...VALID_INPUTS), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.integer({ min: 256, max: 8192 }), async (input, mutations, chunk) => {
        assertAccounting(await decodeBytes('mutated', mutate(Buffer.from(input), mutations), {}, chunk));
      }),
      { numRuns: 300 },
    );
  });

  it('garbage lines cost exactly their own records', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.nat({ max: jsonLines.length - 1 }), fc.string({ minLength: 1, maxLength: 40 }).filter((text) => !text.includes('\n') && text.trim().length > 0 && !text.trim().startsWith('{') && !isJson(text))), { minLength: 1, maxLength: 30 }),
        async (plan) => {
          const text = plan.map((item) => (typeof item === 'number' ? jsonLines[item] : item)).join('\n');
          // Only files whose first line is a record are JSON lines; the others are read as CSV.
          fc.pre(typeof plan[0] === 'number');
          const decoded = await decodeBytes('mixed.jsonl', text);
          assertAccounting(decoded);
          const kept = plan.filter((item) => typeof item === 'number').length;
          assert.equal(decoded.signIns.length + (decoded.skips.filter((skip) => skip.reason === 'other-category').length), kept);
          assert.equal(decoded.skips.filter((skip) => skip.reason === 'invalid-json').length, plan.length - kept);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('any field of any type maps or skips cleanly', async () => {
    const template = graphBeta(records[0]);
    const keys = [...Object.keys(template), 'signInEventTypes', 'isInteractive', 'status', 'location', 'deviceDetail', 'createdDateTime'];
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 12 }), async (changes) => {
        const decoded = await decodeBytes('typed.jsonl', JSON.stringify({ ...template, ...changes }));
        assertAccounting(decoded);
        assert.equal(decoded.signIns.length + decoded.skips.length, 1);
      }),
      { numRuns: 500 },
    );
  });
});

describe('splitter memory bound', () => {
  it('line splitter never hands over more than the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 30 }), fc.integer({ min: 1, max: 200 }), (chunks, limit) => {
        const seen: number[] = [];
        let tooLarge = 0;
        const splitter = new LineSplitter({ line: (text) => void seen.push(Buffer.byteLength(text)), tooLarge: () => void tooLarge++ }, limit);
        let newlines = 0;
        for (const chunk of chunks) {
          splitter.push(Buffer.from(chunk));
          newlines += chunk.filter((byte) => byte === 0x0a).length;
        }
        splitter.end();
        // Replacement characters can make the text longer than its bytes, never the bytes longer than the limit.
        for (const chunkText of seen) assert.ok(chunkText <= limit * 3);
        assert.ok(seen.length + tooLarge >= newlines);
      }),
      { numRuns: 500 },
    );
  });

  it('JSON splitter never hands over more than the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 20 }), fc.integer({ min: 2, max: 300 }), fc.integer({ min: 1, max: 64 }), (values, limit, chunkSize) => {
        const text = Buffer.from(JSON.stringify(values));
        let handed = 0;
        let tooLarge = 0;
        const splitter = new JsonStreamSplitter(
          {
            record: (record) => {
              assert.ok(Buffer.byteLength(record) <= limit);
              handed++;
            },
            invalid: () => assert.fail('valid JSON reported invalid'),
            tooLarge: (bytes) => {
              assert.ok(bytes > limit);
              tooLarge++;
            },
          },
          limit,
        );
        for (let offset = 0; offset < text.length; offset += chunkSize) splitter.push(text.subarray(offset, offset + chunkSize));
        splitter.end();
        assert.equal(handed + tooLarge, values.length);
      }),
      { numRuns: 500 },
    );
  });
});
