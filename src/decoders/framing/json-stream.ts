/**
 * A streaming splitter for JSON text that contains sign-in records: a top-level array of records, records
 * written back to back (pretty-printed or not, several arrays in a row included), and the envelopes that
 * carry them: `{"records":[...]}` from Event Hubs, `{"value":[...]}` from Graph, and
 * `{"tables":[{"columns":[...],"rows":[...]}]}` from the Log Analytics query API.
 *
 * It never parses a record: it matches brackets and strings to find where each record ends and hands the
 * record's text to the caller, so memory is bounded by the largest record, not by the file.
 */

import { isUtf8 } from 'node:buffer';
import type { RecordPrefilter } from '../prefilter.js';
import {
  SCAN_BLOCK_BYTES,
  STATE_COLUMN,
  STATE_DEEPEST,
  STATE_DEPTH,
  STATE_ESCAPED,
  STATE_IN_STRING,
  STATE_LINE_START,
  STATE_NEWLINES,
  STATE_STOP,
  STOP_BYTE_LOOP,
  STOP_LINE_START_BRACE,
  STOP_RECORD_END,
  structureScanner,
  type StructureScanner,
} from '../simd/structure-scan.js';

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

/** Container a record was found in; rows of the query API need their table's columns. */
export type RecordContainer =
  | { readonly kind: 'top-level' }
  | { readonly kind: 'array' }
  | { readonly kind: 'records' }
  | { readonly kind: 'value' }
  | { readonly kind: 'rows'; readonly columns: unknown };

export interface JsonStreamHandler {
  /**
   * Receives the complete text of one record, the 1-based line it starts on, and whether its bytes were valid
   * UTF-8. Returns false when the text is not valid JSON, a sign that the splitter may have lost track of the
   * record boundaries.
   */
  record(text: string, line: number, container: RecordContainer, validUtf8: boolean): boolean | void;
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

/** Levels whose brackets are remembered, as many as the structure scanner stores. Deeper levels are never used to decide that a record is broken. */
const MAX_TRACKED_DEPTH = 64;

const RECORD_ARRAY_KEYS: Record<string, 'records' | 'value'> = { records: 'records', value: 'value' };

export class JsonStreamSplitter {
  private line = 1;
  private frames: Frame[] = [];
  private resyncing = false;
  /** Offset in the current chunk where the current line starts; negative when it started in an earlier chunk. */
  private lineStart = 0;

  // Recovery from a broken record: lines are skipped until one starts a record at the container's level.
  private recovering = false;
  private recoverColumn = 0;
  private recoverOpen = OPEN_BRACE;
  private recoverAtLineStart = false;
  private recoverIndent = 0;
  private recoverComma = false;
  /** Column of the last record when its text was invalid JSON: its brackets may have been matched wrongly. */
  private suspectColumn = -1;

  // The value being captured.
  private capturing = false;
  private goal: CaptureGoal = { kind: 'discard' };
  private captureFrom = 0;
  private captureLine = 1;
  private captureColumn = 0;
  /** Whether capturedTextIsInvalid() already parsed the record being captured. */
  private parsedPartial = false;
  /** Bracket of each open level of the captured value, for the first MAX_TRACKED_DEPTH levels. */
  private readonly openers = new Uint8Array(MAX_TRACKED_DEPTH + 1);
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

  /** The SIMD scanner for the middle of records, or null to scan every byte here. */
  private readonly scanner: StructureScanner | null;
  /** Whether the scanner's memory contains the chunk being pushed. */
  private scannerLoaded = false;

  constructor(
    private readonly handler: JsonStreamHandler,
    private readonly maxRecordBytes: number,
    private readonly prefilter: RecordPrefilter | null = null,
    useStructureScanner = true,
  ) {
    this.scanner = useStructureScanner ? structureScanner() : null;
  }

  push(chunk: Buffer): void {
    const length = chunk.length;
    let i = 0;
    this.prefilter?.scanChunk(chunk);
    this.scannerLoaded = false;
    if (this.capturing) this.captureFrom = 0;
    if (this.keyStart !== -1) this.keyStart = 0;

    while (i < length) {
      if (this.resyncing) {
        const newline = chunk.indexOf(NEWLINE, i);
        if (newline === -1) return;
        this.line++;
        this.lineStart = newline + 1;
        this.resyncing = false;
        i = newline + 1;
        continue;
      }

      if (this.recovering) {
        i = this.recover(chunk, i);
        continue;
      }

      if (this.capturing) {
        i = this.scanCapture(chunk, i);
        continue;
      }

      const byte = chunk[i];
      if (isWhitespace(byte)) {
        if (byte === NEWLINE) {
          this.line++;
          this.lineStart = i + 1;
        }
        i++;
        continue;
      }
      i = this.structural(byte, chunk, i);
    }
    this.lineStart -= length;

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
        this.finishCapture(true);
      } else {
        this.capturing = false;
        this.handler.invalid(`truncated JSON: the value starting on line ${this.captureLine} is not closed at end of input`, this.captureLine);
        return;
      }
    }
    // The broken record that started the recovery, or the invalid last record, was reported already, and it
    // may have held the closing brackets.
    if (this.recovering || this.suspectColumn !== -1) this.frames = [];
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
    this.captureColumn = offset - this.lineStart;
    this.parsedPartial = false;
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
      this.openers[1] = first;
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
    if (!inOneChunk) {
      this.keepPart(chunk, this.captureFrom, end);
      this.finishCapture(true);
      return;
    }

    // A needle the pre-filter found in [captureFrom, end) lies wholly inside it, because a needle contains no
    // closing bracket or quote, so the result of mayKeep() is final.
    if (this.prefilter !== null && this.goal.kind === 'record' && !this.prefilter.mayKeep(this.captureFrom, end)) {
      this.capturing = false;
      this.handler.passedOver?.(this.captureLine);
      return;
    }
    // Not copied: finishCapture() decodes the bytes before push() returns and the caller may reuse the chunk.
    this.parts.push(chunk.subarray(this.captureFrom, end));
    this.partBytes = end - this.captureFrom;
    this.finishCapture(false);
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
          this.finishCapture(true);
          return i;
        }
        i++;
      }
      return i;
    }

    // From `scanFrom` on, the structure scanner reads records in blocks, and the byte loop below takes what it leaves.
    // NOTE: top-level objects (JSON values written back to back) keep the byte loop throughout, because their keys
    // are tracked byte by byte to find envelopes.
    let scanFrom = this.scanner !== null && this.goal.kind === 'record' && !this.trackKeys && this.depth > 0 ? i : length;
    while (i < length) {
      if (i >= scanFrom) {
        i = this.scanWithScanner(chunk, i);
        const stop = this.scanner!.state[STATE_STOP];
        if (stop === STOP_RECORD_END) {
          this.endCapture(chunk, i);
          return i;
        }
        if (stop === STOP_LINE_START_BRACE) scanFrom = i + 1;
        else if (stop === STOP_BYTE_LOOP) scanFrom = i + SCAN_BLOCK_BYTES;
        else scanFrom = length;
        if (i === length) break;
      }

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
        if (byte === NEWLINE) {
          // A raw line break is never valid inside a JSON string, so a quote is missing on this line.
          this.line++;
          this.lineStart = i + 1;
          if (this.goal.kind === 'record') return this.abandonRecord(`a string is not closed before the end of line ${this.line - 1}`, i + 1, true);
        } else if (this.escaped) {
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
          if (byte === OPEN_BRACE && i - this.lineStart <= this.captureColumn && this.goal.kind === 'record' && this.startsNewRecord(chunk, i)) {
            return this.abandonRecord(`it is not closed ("}" or "]" missing) before the record on line ${this.line} starts`, i, false);
          }
          this.depth++;
          if (this.depth <= MAX_TRACKED_DEPTH) this.openers[this.depth] = byte;
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
          this.lineStart = i + 1;
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

  /**
   * Scans the record being captured from `offset` with the structure scanner and takes over the state it ends in.
   * Returns the offset where the scanner stopped. The reason is in its state (STATE_STOP).
   */
  private scanWithScanner(chunk: Buffer, offset: number): number {
    const scanner = this.loadScanner(chunk)!;
    const state = scanner.state;
    const depth = this.depth;
    state[STATE_DEPTH] = depth;
    state[STATE_IN_STRING] = this.inString ? 1 : 0;
    state[STATE_ESCAPED] = this.escaped ? 1 : 0;
    state[STATE_LINE_START] = this.lineStart;
    state[STATE_COLUMN] = this.captureColumn;

    const stop = scanner.scan(offset, chunk.length);

    this.depth = state[STATE_DEPTH];
    this.inString = state[STATE_IN_STRING] === 1;
    this.escaped = state[STATE_ESCAPED] === 1;
    this.line += state[STATE_NEWLINES];
    this.lineStart = state[STATE_LINE_START];
    const deepest = Math.min(state[STATE_DEEPEST], MAX_TRACKED_DEPTH);
    for (let level = depth + 1; level <= deepest; level++) this.openers[level] = scanner.opener(level);
    return stop;
  }

  /** Returns the scanner with `chunk`, the chunk being pushed, loaded in its memory; null without a scanner. */
  private loadScanner(chunk: Buffer): StructureScanner | null {
    const scanner = this.scanner;
    if (scanner !== null && (!this.scannerLoaded || !scanner.holdsChunkOf(this))) {
      scanner.load(chunk, this);
      this.scannerLoaded = true;
    }
    return scanner;
  }

  /**
   * Skips the record being captured, which is invalid JSON, as one invalid record. With `skipLines`, the lines
   * that follow are skipped until one starts the next record (see recover()); otherwise reading resumes at `offset`.
   */
  private abandonRecord(reason: string, offset: number, skipLines: boolean): number {
    const goal = this.goal;
    this.handler.invalid(`invalid JSON: the record starting on line ${this.captureLine} is skipped because ${reason}. Reading resumes at the next record.`, this.captureLine);
    this.capturing = false;
    this.parts = [];
    this.trackKeys = false;
    this.keyStart = -1;
    this.keyParts = [];

    const frame = this.frames.at(-1);
    if (frame !== undefined && frame.kind === 'container') frame.expect = 'element';
    if (skipLines) this.startRecovery(this.captureColumn, goal.kind === 'record' && goal.container.kind === 'rows' ? OPEN_BRACKET : OPEN_BRACE, true);
    return offset;
  }

  private startRecovery(column: number, open: number, atLineStart: boolean): void {
    this.recovering = true;
    this.recoverAtLineStart = atLineStart;
    this.recoverIndent = 0;
    this.recoverComma = false;
    this.recoverColumn = column;
    this.recoverOpen = open;
    this.suspectColumn = -1;
  }

  /**
   * Handles bytes that cannot follow the last record, when that record's text was invalid JSON: a quote
   * missing on a line read as a whole may end a record early, leaving the rest of the line out of step.
   * That record is counted already, so the rest of it is skipped silently, from the rest of this line to the
   * next record (see recover()). Returns the offset to continue from.
   */
  private skipSuspectRecord(frame: ArrayFrame | undefined, offset: number): number {
    if (frame !== undefined) frame.expect = 'element';
    const open = frame?.kind === 'container' && frame.container.kind === 'rows' ? OPEN_BRACKET : OPEN_BRACE;
    this.startRecovery(this.suspectColumn, open, false);
    return offset;
  }

  /**
   * Skips the rest of a broken record, line by line, up to a line that starts the next record at the broken
   * record's level. Such a line starts, after blanks and at most one comma, with the record's opening bracket
   * indented no deeper than the broken record's, or with the "]" that closes the enclosing array. Nested
   * values of indented JSON sit deeper, so they are not taken for records. Returns the offset to continue from.
   */
  private recover(chunk: Buffer, start: number): number {
    const length = chunk.length;
    let i = start;
    while (i < length) {
      if (!this.recoverAtLineStart) {
        const newline = chunk.indexOf(NEWLINE, i);
        if (newline === -1) return length;
        this.line++;
        this.lineStart = newline + 1;
        this.recoverAtLineStart = true;
        this.recoverIndent = 0;
        this.recoverComma = false;
        i = newline + 1;
        continue;
      }

      const byte = chunk[i];
      if (byte === 0x20 || byte === 0x09 || byte === 0x0d) {
        if (!this.recoverComma) this.recoverIndent++;
        i++;
        continue;
      }
      if (byte === COMMA && !this.recoverComma) {
        this.recoverComma = true;
        i++;
        continue;
      }

      if (this.recoverIndent <= this.recoverColumn) {
        const closesArray = byte === CLOSE_BRACKET && !this.recoverComma && this.frames.at(-1)?.kind === 'container';
        if (byte === this.recoverOpen || closesArray) {
          this.recovering = false;
          return i;
        }
      }
      // A newline byte here is found again by indexOf, which counts the line.
      this.recoverAtLineStart = false;
    }
    return i;
  }

  /**
   * Tells whether the "{" at `offset`, first on its line and indented no deeper than the record being captured,
   * starts a new record because the captured one lacks a closing bracket. It does when JSON cannot
   * continue with "{" at this point: after a value with no comma, or after a comma inside an object.
   * It never does after ":" or "[", where valid JSON may put a nested object at any indentation.
   */
  private startsNewRecord(chunk: Buffer, offset: number): boolean {
    // NOTE: a line that began in an earlier chunk, or nesting past MAX_TRACKED_DEPTH, is never checked.
    if (this.lineStart < 0 || this.depth > MAX_TRACKED_DEPTH) return false;

    let previous = -1;
    for (let j = this.lineStart; j < offset; j++) {
      const byte = chunk[j];
      if (byte === COMMA && previous === -1) previous = COMMA;
      else if (!isWhitespace(byte)) return false;
    }
    if (previous === -1) {
      let j = this.lineStart - 1;
      while (j >= 0 && isWhitespace(chunk[j])) j--;
      if (j < 0) return false;
      previous = chunk[j];
    }

    if (previous === COLON || previous === OPEN_BRACKET) return false;
    if (previous === COMMA && this.openers[this.depth] !== OPEN_BRACE) return this.capturedTextIsInvalid(chunk, offset);
    return true;
  }

  /**
   * Tells whether the captured text up to `offset` is invalid JSON, not merely unfinished. After a missing
   * quote, strings and structure swap places, so the bracket levels tracked here can be wrong. JSON.parse
   * settles it, once per record, because text that is only unfinished fails at its very end.
   */
  private capturedTextIsInvalid(chunk: Buffer, offset: number): boolean {
    if (this.parsedPartial || this.oversized) return false;
    this.parsedPartial = true;
    const text = Buffer.concat([...this.parts, chunk.subarray(Math.max(this.captureFrom, 0), offset)]).toString('utf8').trimEnd();
    try {
      JSON.parse(text);
      return false;
    } catch (error) {
      // V8 (Node 20) reports unfinished text as an unexpected end, or as an error at the position after the text.
      const message = (error as Error).message;
      if (message.includes('Unexpected end of JSON input')) return false;
      const position = /at position (\d+)/.exec(message);
      return position === null || Number(position[1]) < text.length;
    }
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

  /** Passes the captured value to its goal. With `prefilterWhole`, the pre-filter first checks a whole record. */
  private finishCapture(prefilterWhole: boolean): void {
    this.capturing = false;
    const goal = this.goal;

    if (this.oversized) {
      this.parts = [];
      if (goal.kind === 'record') this.handler.tooLarge(this.partBytes, this.captureLine);
      return;
    }

    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = [];
    if (prefilterWhole && goal.kind === 'record' && this.prefilter !== null && !this.prefilter.mayKeepWhole(bytes)) {
      this.handler.passedOver?.(this.captureLine);
      return;
    }
    const text = bytes.toString('utf8');

    switch (goal.kind) {
      case 'record':
        this.suspectColumn = this.handler.record(text, this.captureLine, goal.container, isUtf8(bytes)) === false ? this.captureColumn : -1;
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
      if (this.suspectColumn !== -1 && byte !== OPEN_BRACE && byte !== OPEN_BRACKET && byte !== COMMA) return this.skipSuspectRecord(frame, offset);
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
        this.suspectColumn = -1;
        return offset + 1;
      }
      if (frame.expect === 'comma') {
        if (byte !== COMMA && this.suspectColumn !== -1 && frame.kind === 'container') return this.skipSuspectRecord(frame, offset);
        if (byte !== COMMA) return this.fail(`invalid JSON on line ${this.line}: expected "," or "]" but found ${describeByte(byte)}`, offset);
        frame.expect = 'element';
        return offset + 1;
      }

      if (this.suspectColumn !== -1 && frame.kind === 'container' && byte !== (frame.container.kind === 'rows' ? OPEN_BRACKET : OPEN_BRACE)) {
        return this.skipSuspectRecord(frame, offset);
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
