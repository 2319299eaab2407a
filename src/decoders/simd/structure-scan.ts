/**
 * Finds where a record captured by the JSON splitter ends, with the SIMD scanner of structure-scan.wat.
 * JsonStreamSplitter passes it the plain middle of a record and keeps every decision about damaged input in its
 * own byte loop (structure-scan.wat lists what the scanner leaves to it).
 */
import { STRUCTURE_SCAN_WASM } from './structure-scan-wasm.js';

/** Bytes the scanner reads per step. It leaves a shorter rest of the chunk to the byte loop. */
export const SCAN_BLOCK_BYTES = 64;

// Stop reasons of scan(), numbered as in structure-scan.wat.
/** Fewer than SCAN_BLOCK_BYTES bytes remain in the chunk. */
export const STOP_CHUNK_END = 0;
/** The record ended, and scan() returned the offset after its closing bracket. */
export const STOP_RECORD_END = 1;
/** A "{" that may start a line, and so a new record, is at the offset scan() returned. */
export const STOP_LINE_START_BRACE = 2;
/** The block at the offset scan() returned needs the byte loop (a newline inside a string, a stray backslash). */
export const STOP_BYTE_LOOP = 3;

/** Slots of StructureScanner.state. The splitter writes depth, in-string, escaped, line start and column before scan(). */
export const STATE_DEPTH = 0;
export const STATE_IN_STRING = 1;
export const STATE_ESCAPED = 2;
export const STATE_NEWLINES = 3;
export const STATE_LINE_START = 4;
export const STATE_COLUMN = 5;
export const STATE_STOP = 6;
/** Deepest depth reached; scan() stored the opening bracket of each depth above the starting one up to it. */
export const STATE_DEEPEST = 7;

// Offsets in the module's memory, as structure-scan.wat lays it out.
const STATE_SLOTS = 8;
const OPENERS_OFFSET = 64;
const CHUNK_OFFSET = 256;
const PAGE_BYTES = 65536;

// The TypeScript libraries this project compiles with (ES2023, Node) do not declare WebAssembly.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
};

interface StructureScanExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  scan(from: number, end: number): number;
}

/**
 * Scans captured records in a chunk copied into WebAssembly memory. Splitters on one thread share one
 * scanner: each loads its chunk again when another one loaded a chunk since (holdsChunkOf).
 */
export class StructureScanner {
  /** The state slots (STATE_*), read and written around scan(). */
  state!: Int32Array;
  private bytes!: Uint8Array;
  private owner: object | null = null;

  constructor(private readonly exports: StructureScanExports) {
    this.refreshViews();
  }

  /** Copies `chunk` into the scanner's memory for `owner`, growing the memory to fit it. */
  load(chunk: Uint8Array, owner: object): void {
    const needed = CHUNK_OFFSET + chunk.length;
    if (needed > this.bytes.length) {
      this.exports.memory.grow(Math.ceil((needed - this.bytes.length) / PAGE_BYTES));
      this.refreshViews();
    }
    this.bytes.set(chunk, CHUNK_OFFSET);
    this.owner = owner;
  }

  /** Tells whether the chunk last loaded was loaded for `owner`. */
  holdsChunkOf(owner: object): boolean {
    return this.owner === owner;
  }

  /** Scans the loaded chunk from `from` to `end` (see structure-scan.wat); returns the offset where it stopped. */
  scan(from: number, end: number): number {
    return this.exports.scan(from, end);
  }

  /** Returns the opening bracket that the last scan() stored for `depth`, which is 1 to 64. */
  opener(depth: number): number {
    return this.bytes[OPENERS_OFFSET + depth];
  }

  private refreshViews(): void {
    // Growing the memory detaches the views of its old buffer.
    this.bytes = new Uint8Array(this.exports.memory.buffer);
    this.state = new Int32Array(this.exports.memory.buffer, 0, STATE_SLOTS);
  }
}

/** This thread's scanner; undefined until first needed, null where WebAssembly SIMD is not available. */
let shared: StructureScanner | null | undefined;

/** Returns this thread's scanner, or null where WebAssembly SIMD is missing (e.g. `node --jitless`). */
export function structureScanner(): StructureScanner | null {
  if (shared === undefined) {
    try {
      const module = new WebAssembly.Module(Buffer.from(STRUCTURE_SCAN_WASM, 'base64'));
      shared = new StructureScanner(new WebAssembly.Instance(module).exports as StructureScanExports);
    } catch {
      // A CPU or runtime without 128-bit SIMD rejects the module, and splitters then scan every byte themselves.
      shared = null;
    }
  }
  return shared;
}
