/**
 * Finds where either of two byte pairs starts in a buffer, with the SIMD scanner of pair-scan.wat. The byte
 * pre-filter searches for the first two bytes of all its needles in this one pass, then checks each hit.
 */
import { PAIR_SCAN_WASM } from './pair-scan-wasm.js';

/** Bytes scanned per call: the input region of the module's memory. */
const INPUT_BYTES = 2 << 20;
/** Offset of the hit output (i32 offsets), right after the input region. */
const HITS_OFFSET = 2 << 20;
const MAX_HITS = (1 << 20) / Int32Array.BYTES_PER_ELEMENT;

// The TypeScript libraries this project compiles with (ES2023, Node) do not declare WebAssembly.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
};

interface PairScanExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  readonly resume: { readonly value: number };
  findPairs(from: number, length: number, pair0: number, pair1: number, hits: number, maxHits: number): number;
}

/** This thread's instance; undefined until first needed, null where WebAssembly SIMD is not available. */
let shared: PairScanExports | null | undefined;

function sharedInstance(): PairScanExports | null {
  if (shared === undefined) {
    try {
      const module = new WebAssembly.Module(Buffer.from(PAIR_SCAN_WASM, 'base64'));
      shared = new WebAssembly.Instance(module).exports as unknown as PairScanExports;
    } catch {
      // A CPU or runtime without 128-bit SIMD rejects the module; callers then search with Buffer.indexOf.
      shared = null;
    }
  }
  return shared;
}

/** Encodes the first two bytes of `bytes` as the scanner takes a pair: the first byte plus the second times 256. */
export function pairOf(bytes: Uint8Array): number {
  return bytes[0] | (bytes[1] << 8);
}

/**
 * Scans for one or two byte pairs. Instances on one thread share one WebAssembly instance, which is safe
 * because a scan runs to its end without yielding.
 */
export class PairScanner {
  private constructor(
    private readonly exports: PairScanExports,
    private readonly pair0: number,
    private readonly pair1: number,
  ) {}

  /** Returns a scanner for one or two pairs, or null when the pairs are more or WebAssembly SIMD is missing. */
  static create(pairs: readonly number[]): PairScanner | null {
    if (pairs.length < 1 || pairs.length > 2) return null;
    const exports = sharedInstance();
    if (exports === null) return null;
    return new PairScanner(exports, pairs[0], pairs[pairs.length - 1]);
  }

  /** Calls `visit` with every offset of `bytes` where one of the pairs starts, in increasing order. */
  scan(bytes: Uint8Array, visit: (offset: number) => void): void {
    const { memory, findPairs, resume } = this.exports;
    const input = new Uint8Array(memory.buffer, 0, INPUT_BYTES);
    const hits = new Int32Array(memory.buffer, HITS_OFFSET, MAX_HITS);

    // Windows overlap by one byte, so a pair cut by the end of one window is found in the next.
    for (let start = 0; start < bytes.length - 1; start += INPUT_BYTES - 1) {
      const length = Math.min(INPUT_BYTES, bytes.length - start);
      input.set(bytes.subarray(start, start + length));
      let from = 0;
      for (;;) {
        const count = findPairs(from, length, this.pair0, this.pair1, HITS_OFFSET, MAX_HITS);
        for (let i = 0; i < count; i++) visit(start + hits[i]);
        from = resume.value;
        if (from >= length) break;
      }
    }
  }
}
