import { isUtf8 } from 'node:buffer';
import { isBlank, type RecordPrefilter } from '../prefilter.js';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface LineHandler {
  /** Receives one line without its terminator (LF or CRLF), its 1-based number, and whether its bytes were valid UTF-8. */
  line(text: string, lineNumber: number, validUtf8: boolean): void;
  /** Receives a line longer than the limit; its bytes were skipped without being held. */
  tooLarge(bytes: number, lineNumber: number): void;
  /** Receives the number of a non-blank line that the pre-filter passed over without decoding it. */
  passedOver?(lineNumber: number): void;
}

/** Splits a byte stream into lines, holding at most one line (bounded by `maxLineBytes`) in memory. */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private oversized = false;
  private lineNumber = 1;

  constructor(
    private readonly handler: LineHandler,
    private readonly maxLineBytes: number,
    private readonly prefilter: RecordPrefilter | null = null,
  ) {}

  /** Lines seen so far, blank ones included. */
  get lines(): number {
    return this.lineNumber - 1;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE, start);
    this.prefilter?.scanChunk(chunk);

    while (newline !== -1) {
      this.emit(chunk, start, newline);
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }

    if (start < chunk.length) this.hold(chunk, start, chunk.length);
  }

  end(): void {
    if (this.carryBytes > 0 || this.oversized) this.emit(Buffer.alloc(0), 0, 0);
  }

  private hold(chunk: Buffer, from: number, to: number): void {
    if (this.oversized) {
      this.carryBytes += to - from;
      return;
    }
    this.carryBytes += to - from;
    if (this.carryBytes > this.maxLineBytes) {
      this.oversized = true;
      this.carry = [];
      return;
    }
    this.carry.push(Buffer.from(chunk.subarray(from, to)));
  }

  private emit(chunk: Buffer, from: number, to: number): void {
    const lineNumber = this.lineNumber++;

    if (this.oversized || this.carryBytes + (to - from) > this.maxLineBytes) {
      const bytes = this.carryBytes + (to - from);
      this.reset();
      // A line too large to hold is a record all the same: it counts toward the pre-filter's sample.
      this.prefilter?.countSampled();
      this.handler.tooLarge(bytes, lineNumber);
      return;
    }

    let bytes: Buffer;
    if (this.carry.length === 0) {
      // The hot path: a line passed over is neither copied nor decoded.
      // Blank lines are not records, so they are tested first and do not count against the pre-filter's sample.
      if (this.prefilter !== null && !isBlank(chunk, from, to) && !this.prefilter.mayKeep(from, to)) {
        this.handler.passedOver?.(lineNumber);
        return;
      }
      const end = to > from && chunk[to - 1] === CARRIAGE_RETURN ? to - 1 : to;
      bytes = chunk.subarray(from, end);
    } else {
      this.carry.push(chunk.subarray(from, to));
      const whole = Buffer.concat(this.carry);
      if (this.prefilter !== null && !isBlank(whole, 0, whole.length) && !this.prefilter.mayKeepWhole(whole)) {
        this.reset();
        this.handler.passedOver?.(lineNumber);
        return;
      }
      const end = whole.length > 0 && whole[whole.length - 1] === CARRIAGE_RETURN ? whole.length - 1 : whole.length;
      bytes = whole.subarray(0, end);
    }
    this.reset();
    this.handler.line(bytes.toString('utf8'), lineNumber, isUtf8(bytes));
  }

  private reset(): void {
    this.carry = [];
    this.carryBytes = 0;
    this.oversized = false;
  }
}
