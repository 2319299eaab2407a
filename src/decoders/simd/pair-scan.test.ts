import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { pairOf, PairScanner } from './pair-scan.js';

/** Offsets where either pair starts, found one byte at a time. */
function naive(bytes: Uint8Array, pairs: readonly number[]): number[] {
  const offsets: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (pairs.includes(bytes[i] | (bytes[i + 1] << 8))) offsets.push(i);
  }
  return offsets;
}

function scanned(bytes: Uint8Array, pairs: number[]): number[] {
  const scanner = PairScanner.create(pairs);
  assert.ok(scanner !== null, 'Node 20 on x64 and arm64 runs WebAssembly SIMD');
  const offsets: number[] = [];
  scanner.scan(bytes, (offset) => offsets.push(offset));
  return offsets;
}

const FIFTY = pairOf(Buffer.from('50'));
const BACKSLASH_U = pairOf(Buffer.from('\\u'));

describe('PairScanner', () => {
  it('matches a byte-by-byte scan on random bytes', () => {
    // Few distinct bytes, so that pairs are common, and lengths around the 64-byte step.
    const bytes = fc.uint8Array({ maxLength: 300 }).map((raw) => raw.map((byte) => [0x35, 0x30, 0x5c, 0x75, 0x0a][byte % 5]));
    fc.assert(
      fc.property(bytes, fc.boolean(), (input, both) => {
        const pairs = both ? [FIFTY, BACKSLASH_U] : [FIFTY];
        assert.deepEqual(scanned(input, pairs), naive(input, pairs));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a pair at either side of a 2 MiB window end', () => {
    const window = 2 << 20;
    // The second window starts at window - 1, so a pair there has one byte in each window.
    for (const at of [window - 3, window - 2, window - 1, window, 2 * (window - 1) - 1, 2 * window + 98]) {
      const bytes = Buffer.alloc(2 * window + 100, 0x20);
      bytes.write('50', at, 'latin1');
      assert.deepEqual(scanned(bytes, [FIFTY]), [at], `pair at ${at}`);
    }
  });

  it('resumes when more pairs are found than its output holds', () => {
    // 600,000 pairs in one window: more than the 262,144 one call can report.
    const bytes = Buffer.from('5'.repeat(600_001), 'latin1');
    for (let i = 1; i < bytes.length; i += 2) bytes[i] = 0x30;
    const offsets = scanned(bytes, [FIFTY]);
    assert.equal(offsets.length, 300_000);
    assert.deepEqual(offsets, naive(bytes, [FIFTY]));
  });

  it('takes one or two pairs, not more', () => {
    assert.equal(PairScanner.create([]), null);
    assert.equal(PairScanner.create([FIFTY, BACKSLASH_U, pairOf(Buffer.from('70'))]), null);
  });
});
