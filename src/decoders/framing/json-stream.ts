/**
 * A streaming splitter for JSON text that holds sign-in records: a top-level array of records, records
 * written back to back (pretty-printed or not, several arrays in a row included), and the envelopes that
 * carry them: `{"records":[...]}` from Event Hubs, `{"value":[...]}` from Graph, and
 * `{"tables":[{"columns":[...],"rows":[...]}]}` from the Log Analytics query API.
 *
 * It never parses a record: it matches brackets and strings to find where each record ends and hands the
 * record's text to the caller, so memory is bounded by the largest record, not by the file.
 */

import { isUtf8 } from 'node:buffer';
import type { RecordPrefilter } from '../prefilter.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Where a record was found; rows of the query API need their table's columns. */
export type RecordContainer =
  | { readonly kind: 'top-level' }
  | { readonly kind: 'array' }
  | { readonly kind: 'records' }
  | { readonly kind: 'value' }
  | { readonly kind: 'rows'; readonly columns: unknown };

export interface JsonStreamHandler {
  /** Receives the complete text of one record, the 1-based line it starts on, and whether its bytes were valid UTF-8. */
  record(text: string, line: number, container: RecordContainer, validUtf8: boolean): void;
  /** Receives bytes that are not JSON; the splitter then resumes at the next line. */
  invalid(message: string, line: number): void;
  /** Receives a record larger than the limit; its bytes were skipped without being held. */
  tooLarge(bytes: number, line: number): void;
  /** Receives the line of a record that the pre-filter passed over without decoding it. */
  passedOver?(line: number): void;
}

type MemberFrame = { kind: 'envelope' | 'table'; expect: 'key' | 'colon' | 'value' | 'comma'; key: string; columns: unknown };
type ArrayFrame = { kind: 'container'; container: RecordContainer; expect: 'element' | 'comma' } | { kind: 'tables'; expect: 'element' | 'comma' };
type Frame = MemberFrame | ArrayFrame;

type CaptureGoal =
  | { kind: 'record'; container: RecordContainer }
  | { kind: 'key'; frame: MemberFrame }
  | { kind: 'columns'; frame: MemberFrame }
  | { kind: 'discard' };

const RECORD_ARRAY_KEYS: Record<string, 'records' | 'value'> = { records: 'records', value: 'value' };

export class JsonStreamSplitter {
  private line = 1;
  private frames: Frame[] = [];
  private resyncing = false;

  // The value being captured.
  private capturing = false;
  private goal: CaptureGoal = { kind: 'discard' };
  private captureFrom = 0;
  private captureLine = 1;
  private parts: Buffer[] = [];
  private partBytes = 0;
  private oversized = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;

  // Key tracking inside a top-level object, which turns into an envelope when a record-carrying key opens an array.
  private trackKeys = false;
  private keyExpected = false;
  private keyStart = -1;
  private keyParts: Buffer[] = [];
  private lastKey: string | null = null;
  private awaitingValue = false;

  constructor(
    private readonly handler: JsonStreamHandler,
    private readonly maxRecordBytes: number,
    private readonly prefilter: RecordPrefilter | null = null,
  ) {}

  push(chunk: Buffer): void {
    const length = chunk.length;
    let i = 0;
    this.prefilter?.scanChunk(chunk);
    if (this.capturing) this.captureFrom = 0;
    if (this.keyStart !== -1) this.keyStart = 0;

    while (i < length) {
      if (this.resyncing) {
        const newline = chunk.indexOf(NEWLINE, i);
        if (newline === -1) return;
        this.line++;
        this.resyncing = false;
        i = newline + 1;
        continue;
      }

      if (this.capturing) {
        i = this.scanCapture(chunk, i);
        continue;
      }

      const byte = chunk[i];
      if (isWhitespace(byte)) {
        if (byte === NEWLINE) this.line++;
        i++;
        continue;
      }
      i = this.structural(byte, chunk, i);
    }

    if (this.capturing) {
      this.keepPart(chunk, this.captureFrom, length);
      if (this.keyStart !== -1) {
        this.keyParts.push(Buffer.from(chunk.subarray(this.keyStart, length)));
      }
    }
  }

  end(): void {
    if (this.capturing) {
      if (this.scalar) {
        this.finishCapture();
      } else {
        this.capturing = false;
        this.handler.invalid(`truncated JSON: the value starting on line ${this.captureLine} is not closed at end of input`, this.captureLine);
        return;
      }
    }
    if (this.frames.length > 0) {
      this.handler.invalid(`truncated JSON: ${this.frames.length} enclosing array(s) or object(s) not closed at end of input`, this.line);
      this.frames = [];
    }
  }

  /** Starts capturing the value whose first byte is `chunk[offset]`; returns the offset to continue from. */
  private beginCapture(goal: CaptureGoal, chunk: Buffer, offset: number, trackKeys: boolean): number {
    this.capturing = true;
    this.goal = goal;
    this.captureFrom = offset;
    this.captureLine = this.line;
    this.parts = [];
    this.partBytes = 0;
    this.oversized = false;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.scalar = false;
    this.trackKeys = false;
    this.keyStart = -1;
    this.keyParts = [];
    this.lastKey = null;
    this.awaitingValue = false;

    const first = chunk[offset];
    if (first === OPEN_BRACE || first === OPEN_BRACKET) {
      this.depth = 1;
      this.trackKeys = trackKeys && first === OPEN_BRACE;
      this.keyExpected = this.trackKeys;
      return offset + 1;
    }
    if (first === QUOTE) {
      this.inString = true;
      return offset + 1;
    }
    this.scalar = true;
    return offset;
  }

  /** Ends the capture at `chunk[end]`; a record the pre-filter passes over is neither copied nor decoded. */
  private endCapture(chunk: Buffer, end: number): void {
    const inOneChunk = this.parts.length === 0 && !this.oversized && end - this.captureFrom <= this.maxRecordBytes;
    if (this.prefilter !== null && inOneChunk && this.goal.kind === 'record' && !this.prefilter.mayKeep(this.captureFrom, end)) {
      this.capturing = false;
      this.handler.passedOver?.(this.captureLine);
      return;
    }
    this.keepPart(chunk, this.captureFrom, end);
    this.finishCapture();
  }

  private keepPart(chunk: Buffer, from: number, to: number): void {
    if (to <= from || this.oversized) return;

    this.partBytes += to - from;
    if (this.partBytes > this.maxRecordBytes) {
      this.oversized = true;
      this.parts = [];
      return;
    }
    // Copied, because the caller may reuse the chunk's memory once push() returns.
    this.parts.push(Buffer.from(chunk.subarray(from, to)));
  }

  /** Scans the captured value from `start`; returns the offset after its end, or the chunk length. */
  private scanCapture(chunk: Buffer, start: number): number {
    const length = chunk.length;
    let i = start;

    if (this.scalar) {
      while (i < length) {
        const byte = chunk[i];
        if (byte === COMMA || byte === CLOSE_BRACKET || byte === CLOSE_BRACE || isWhitespace(byte)) {
          this.keepPart(chunk, this.captureFrom, i);
          this.finishCapture();
          return i;
        }
        i++;
      }
      return i;
    }

    while (i < length) {
      if (this.inString && !this.escaped) {
        // Plain string bytes are most of a record: skip them in a tight loop over locals.
        while (i < length) {
          const byte = chunk[i];
          if (byte === QUOTE || byte === BACKSLASH || byte === NEWLINE) break;
          i++;
        }
        if (i === length) break;
      }
      const byte = chunk[i];

      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
        } else if (byte === BACKSLASH) {
          this.escaped = true;
        } else if (byte === QUOTE) {
          this.inString = false;
          if (this.keyStart !== -1) this.endKey(chunk, i);
          if (this.depth === 0) {
            this.endCapture(chunk, i + 1);
            return i + 1;
          }
        } else if (byte === NEWLINE) {
          this.line++;
        }
        i++;
        continue;
      }

      switch (byte) {
        case QUOTE:
          this.inString = true;
          if (this.trackKeys && this.depth === 1) {
            if (this.keyExpected) this.keyStart = i + 1;
            this.awaitingValue = false;
          }
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          this.depth++;
          if (this.trackKeys && this.depth === 2) {
            if (byte === OPEN_BRACKET && this.awaitingValue && this.becomeEnvelope()) return i + 1;
            this.awaitingValue = false;
          }
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          this.depth--;
          if (this.depth === 0) {
            this.endCapture(chunk, i + 1);
            return i + 1;
          }
          break;
        case NEWLINE:
          this.line++;
          break;
        case COMMA:
          if (this.trackKeys && this.depth === 1) this.keyExpected = true;
          break;
        case COLON:
          if (this.trackKeys && this.depth === 1) this.awaitingValue = true;
          break;
        default:
          if (this.trackKeys && this.depth === 1 && !isWhitespace(byte)) this.awaitingValue = false;
      }
      i++;
    }
    return i;
  }

  private endKey(chunk: Buffer, quoteOffset: number): void {
    const tail = chunk.subarray(this.keyStart, quoteOffset);
    const bytes = this.keyParts.length > 0 ? Buffer.concat([...this.keyParts, tail]) : tail;
    this.lastKey = bytes.length <= 64 ? bytes.toString('utf8') : null;
    this.keyStart = -1;
    this.keyParts = [];
    this.keyExpected = false;
  }

  /**
   * Turns the top-level object being captured into an envelope: its members before this key are dropped
   * (metadata such as "@odata.context") and the array's elements are read as records.
   */
  private becomeEnvelope(): boolean {
    const key = this.lastKey;
    if (key === null || (RECORD_ARRAY_KEYS[key] === undefined && key !== 'tables')) return false;

    this.capturing = false;
    this.parts = [];
    this.trackKeys = false;
    this.frames.push({ kind: 'envelope', expect: 'comma', key, columns: undefined });
    if (key === 'tables') this.frames.push({ kind: 'tables', expect: 'element' });
    else this.frames.push({ kind: 'container', container: { kind: RECORD_ARRAY_KEYS[key] }, expect: 'element' });
    return true;
  }

  private finishCapture(): void {
    this.capturing = false;
    const goal = this.goal;

    if (this.oversized) {
      this.parts = [];
      if (goal.kind === 'record') this.handler.tooLarge(this.partBytes, this.captureLine);
      return;
    }

    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = [];
    if (goal.kind === 'record' && this.prefilter !== null && !this.prefilter.mayKeepWhole(bytes)) {
      this.handler.passedOver?.(this.captureLine);
      return;
    }
    const text = bytes.toString('utf8');

    switch (goal.kind) {
      case 'record':
        this.handler.record(text, this.captureLine, goal.container, isUtf8(bytes));
        return;
      case 'key':
        goal.frame.key = parseKey(text);
        return;
      case 'columns':
        try {
          goal.frame.columns = JSON.parse(text);
        } catch {
          this.handler.invalid(`invalid JSON in the query API "columns" on line ${this.captureLine}`, this.captureLine);
        }
        return;
      case 'discard':
        return;
    }
  }

  /** Handles one byte outside any captured value; returns the offset to continue from. */
  private structural(byte: number, chunk: Buffer, offset: number): number {
    const frame = this.frames.at(-1);

    if (frame === undefined) {
      if (byte === OPEN_BRACKET) {
        this.frames.push({ kind: 'container', container: { kind: 'array' }, expect: 'element' });
        return offset + 1;
      }
      if (byte === OPEN_BRACE) return this.beginCapture({ kind: 'record', container: { kind: 'top-level' } }, chunk, offset, true);
      // Merged collection-tool output sometimes leaves a comma between top-level values; skipping it loses nothing.
      if (byte === COMMA) return offset + 1;
      return this.fail(`invalid JSON on line ${this.line}: unexpected ${describeByte(byte)} where a record should start`, offset);
    }

    if (frame.kind === 'container' || frame.kind === 'tables') {
      if (byte === CLOSE_BRACKET) {
        this.frames.pop();
        return offset + 1;
      }
      if (frame.expect === 'comma') {
        if (byte !== COMMA) return this.fail(`invalid JSON on line ${this.line}: expected "," or "]" but found ${describeByte(byte)}`, offset);
        frame.expect = 'element';
        return offset + 1;
      }

      frame.expect = 'comma';
      if (frame.kind === 'tables') {
        if (byte !== OPEN_BRACE) return this.beginCapture({ kind: 'discard' }, chunk, offset, false);
        this.frames.push({ kind: 'table', expect: 'key', key: '', columns: undefined });
        return offset + 1;
      }
      return this.beginCapture({ kind: 'record', container: frame.container }, chunk, offset, false);
    }

    return this.member(frame, byte, chunk, offset);
  }

  /** Steps through the `"key": value` members of an envelope or a query-API table. */
  private member(frame: MemberFrame, byte: number, chunk: Buffer, offset: number): number {
    if (byte === CLOSE_BRACE && frame.expect !== 'colon' && frame.expect !== 'value') {
      this.frames.pop();
      return offset + 1;
    }

    switch (frame.expect) {
      case 'comma':
        if (byte !== COMMA) return this.fail(`invalid JSON on line ${this.line}: expected "," or "}" but found ${describeByte(byte)}`, offset);
        frame.expect = 'key';
        return offset + 1;

      case 'key':
        if (byte !== QUOTE) return this.fail(`invalid JSON on line ${this.line}: expected a key but found ${describeByte(byte)}`, offset);
        frame.expect = 'colon';
        return this.beginCapture({ kind: 'key', frame }, chunk, offset, false);

      case 'colon':
        if (byte !== COLON) return this.fail(`invalid JSON on line ${this.line}: expected ":" but found ${describeByte(byte)}`, offset);
        frame.expect = 'value';
        return offset + 1;

      case 'value':
        frame.expect = 'comma';
        if (byte === OPEN_BRACKET) {
          if (frame.kind === 'envelope' && RECORD_ARRAY_KEYS[frame.key] !== undefined) {
            this.frames.push({ kind: 'container', container: { kind: RECORD_ARRAY_KEYS[frame.key] }, expect: 'element' });
            return offset + 1;
          }
          if (frame.kind === 'envelope' && frame.key === 'tables') {
            this.frames.push({ kind: 'tables', expect: 'element' });
            return offset + 1;
          }
          if (frame.kind === 'table' && frame.key === 'rows') {
            if (frame.columns === undefined) {
              return this.fail(`query API table on line ${this.line} has "rows" before "columns", so its rows cannot be named`, offset);
            }
            this.frames.push({ kind: 'container', container: { kind: 'rows', columns: frame.columns }, expect: 'element' });
            return offset + 1;
          }
        }
        if (frame.kind === 'table' && frame.key === 'columns') return this.beginCapture({ kind: 'columns', frame }, chunk, offset, false);
        return this.beginCapture({ kind: 'discard' }, chunk, offset, false);
    }
  }

  private fail(message: string, offset: number): number {
    this.handler.invalid(message, this.line);
    this.frames = [];
    this.resyncing = true;
    return offset;
  }
}

function parseKey(text: string): string {
  try {
    const key: unknown = JSON.parse(text);
    return typeof key === 'string' ? key : '';
  } catch {
    return '';
  }
}

function describeByte(byte: number): string {
  if (byte >= 0x20 && byte < 0x7f) return `"${String.fromCharCode(byte)}"`;
  return `byte 0x${byte.toString(16).padStart(2, '0')}`;
}
