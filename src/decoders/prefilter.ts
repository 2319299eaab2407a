/**
 * A byte-level pre-filter: finds the records that may carry one of a set of ResultType codes without
 * parsing them, so that the decoder parses only those and passes over the rest.
 *
 * It searches for each code's digits anywhere in a record, whatever the layout: the rule compares
 * ResultType as text, and a record whose ResultType is a code contains the code's digits in a row whether
 * the value is a JSON string ("50126"), a JSON number (50126, 50126.0, 5012600e-2), a column of a query-API
 * row, or JSON text nested in a string. A JSON string can also spell a digit as an escape (\u0030 to
 * \u0039). JSON text nested in a string can spell the backslash or the u of such an escape as \u005c or
 * \u0075. A record with any of these escapes is therefore kept as well. The decoder then parses every kept record and
 * applies the rule in full, so a false candidate costs time, never a result.
 *
 * When the needles start with at most two distinct byte pairs, one SIMD pass finds every pair and each hit
 * is checked in place. The default codes all start with "50" and escapes with "\u". Other code sets search
 * each needle group with Buffer.indexOf.
 *
 * NOTE: a ResultType written as a JSON number whose digits are split by its decimal point
 * (5.0126e4) or that only rounds to a code (50125.99999999999999999) is passed over. The layouts
 * read here write ResultType as a string and Status.errorCode as an integer; `--no-prefilter` parses
 * every record.
 */

import { pairOf, PairScanner } from './simd/pair-scan.js';

/**
 * Start of the escapes that may hide a code's digits: JSON escapes the digits 0-9 as \u0030 to \u0039. JSON
 * text nested in a string can also spell the backslash or the u of its own escapes as \u005c (\u005C) or
 * \u0075. JSON allows a lowercase u only.
 */
const ESCAPE = Buffer.from('\\u00', 'latin1');
const DIGIT_0 = 0x30;
const DIGIT_3 = 0x33;
const DIGIT_5 = 0x35;
const DIGIT_7 = 0x37;
const DIGIT_9 = 0x39;
const LETTER_C = 0x43;
const LETTER_C_LOWER = 0x63;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/**
 * Records at the start of each input that the scan parses even when the pre-filter would pass them over. If
 * none of them is a sign-in, the input contains no sign-ins, and the scan exits with that error instead of reporting no alerts.
 */
export const PREFILTER_SAMPLE_RECORDS = 100;

/** Keys whose array value makes a record an envelope of several records (see `envelopeRecords` in decode.ts). */
const ENVELOPE_KEYS = [Buffer.from('"records"', 'latin1'), Buffer.from('"value"', 'latin1')];

/**
 * Needles that share a prefix are found with one search for the prefix, then compared in place: a search
 * for a short needle stops at every byte equal to its first, so fewer searches cost less.
 */
const PREFIX_BYTES = 4;

/** Tells whether a byte is JSON blank space: space, line feed, carriage return or tab. */
export function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** A prefix to search for and the needles that start with it. */
interface NeedleGroup {
  readonly prefix: Buffer;
  readonly needles: readonly Buffer[];
}

/** Returns the codes to search for: each code's digits, without codes whose digits contain another code's. */
function codeNeedlesOf(codes: Iterable<string>): string[] {
  const unique = [...new Set(codes)].filter((code) => code.length > 0).sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const code of unique) {
    if (!kept.some((shorter) => code.includes(shorter))) kept.push(code);
  }
  return kept;
}

/** Groups the code needles and the escape needle by prefix, for searches with Buffer.indexOf. */
function needleGroupsOf(codes: readonly string[]): NeedleGroup[] {
  // Codes usually share their first digits (500xx), and one search for a shared prefix of two or more
  // bytes stops no more often than a search for any one code.
  let shared = codes[0] ?? '';
  for (const code of codes) while (!code.startsWith(shared)) shared = shared.slice(0, -1);
  const prefixBytes = shared.length >= 2 ? Math.min(shared.length, PREFIX_BYTES) : PREFIX_BYTES;

  const groups = new Map<string, Buffer[]>();
  // The escape needle goes in as itself, because needleAt recognizes it by identity to check the bytes after it.
  for (const needle of [...codes.map((code) => Buffer.from(code, 'latin1')), ESCAPE]) {
    const prefix = needle.toString('latin1', 0, prefixBytes);
    const group = groups.get(prefix) ?? [];
    group.push(needle);
    groups.set(prefix, group);
  }
  return [...groups].map(([prefix, needles]) => ({ prefix: Buffer.from(prefix, 'latin1'), needles }));
}

/** Tells whether an escape that may hide a digit starts at `at`: \u0030 to \u0039, \u005c, \u005C or \u0075. */
function hidingEscapeAt(bytes: Uint8Array, at: number): boolean {
  if (!matchesAt(bytes, at, ESCAPE)) return false;
  const high = bytes[at + ESCAPE.length];
  const low = bytes[at + ESCAPE.length + 1];
  if (high === DIGIT_3) return low >= DIGIT_0 && low <= DIGIT_9;
  if (high === DIGIT_5) return low === LETTER_C_LOWER || low === LETTER_C;
  return high === DIGIT_7 && low === DIGIT_5;
}

/** Tells whether a needle starts at `at`: a code's digits, or an escape that may hide one. */
function needleAt(bytes: Uint8Array, at: number, needle: Buffer): boolean {
  return needle === ESCAPE ? hidingEscapeAt(bytes, at) : matchesAt(bytes, at, needle);
}

function matchesAt(bytes: Uint8Array, at: number, needle: Buffer): boolean {
  if (at + needle.length > bytes.length) return false;
  for (let i = 0; i < needle.length; i++) {
    if (bytes[at + i] !== needle[i]) return false;
  }
  return true;
}

/**
 * Finds candidate records for a keep-set of ResultType codes. One instance serves one decoder: it reuses
 * its offset buffer from chunk to chunk, so scanning allocates nothing per record.
 */
export class RecordPrefilter {
  private readonly groups: NeedleGroup[];
  /** Every needle, the escape included; needles with the same first two bytes share a pair below. */
  private readonly needles: readonly Buffer[];
  /** The SIMD scan for the needles' first two bytes, or null to search each group with indexOf. */
  private readonly pairs: PairScanner | null;
  /** Sorted offsets, within the chunk last scanned, of every needle match. */
  private hits: number[] = [];
  private cursor = 0;
  private chunk: Buffer = Buffer.alloc(0);
  private readonly visit = (at: number): void => {
    const chunk = this.chunk;
    for (const needle of this.needles) {
      if (needleAt(chunk, at, needle)) {
        this.hits.push(at);
        return;
      }
    }
  };

  /** Records still to keep whatever they contain; see the constructor. */
  private sampleLeft: number;

  /**
   * Keeps the records that may contain one of the `keep` codes, and the first `sampleRecords` records whatever
   * they contain: those show whether the input contains sign-ins at all, even when none of them failed.
   */
  constructor(
    readonly keep: ReadonlySet<string>,
    sampleRecords = 0,
  ) {
    if (keep.size === 0) throw new Error('a pre-filter needs at least one ResultType code to keep');
    this.sampleLeft = sampleRecords;
    const codes = codeNeedlesOf(keep);
    this.groups = needleGroupsOf(codes);
    // A one-digit code has no pair to search for, so it takes the indexOf path.
    const needles = [...codes.map((code) => Buffer.from(code, 'latin1')), ESCAPE];
    this.needles = needles;
    const pairs = new Set(needles.map((needle) => (needle.length >= 2 ? pairOf(needle) : -1)));
    this.pairs = pairs.has(-1) ? null : PairScanner.create([...pairs]);
  }

  /**
   * Finds the candidate offsets in `chunk`. Call once per chunk, then ask `mayKeep` about its records in
   * increasing order. A needle split across two chunks is not seen here: callers check a record that
   * spans chunks with `mayKeepWhole` instead.
   */
  scanChunk(chunk: Buffer): void {
    const hits = this.hits;
    hits.length = 0;
    this.cursor = 0;
    this.chunk = chunk;

    if (this.pairs !== null) {
      this.pairs.scan(chunk, this.visit);
      return;
    }
    for (const group of this.groups) {
      const prefix = group.prefix;
      for (let at = chunk.indexOf(prefix); at !== -1; at = chunk.indexOf(prefix, at + 1)) {
        for (const needle of group.needles) {
          if (needleAt(chunk, at, needle)) {
            hits.push(at);
            break;
          }
        }
      }
    }
    if (hits.length > 1) hits.sort(compareNumbers);
  }

  /**
   * Tells whether the record at `chunk[from, to)` of the chunk last scanned may be kept. Records must be
   * asked about in increasing order of `from`.
   */
  mayKeep(from: number, to: number): boolean {
    if (this.sampleLeft > 0) {
      this.sampleLeft--;
      return true;
    }
    const hits = this.hits;
    let cursor = this.cursor;
    while (cursor < hits.length && hits[cursor] < from) cursor++;
    this.cursor = cursor;
    if (cursor < hits.length && hits[cursor] < to) return true;
    return mayBeEnvelope(this.chunk, from, to);
  }

  /** Counts a record that was read but not asked about (e.g. one too large to hold) toward the sample. */
  countSampled(): void {
    if (this.sampleLeft > 0) this.sampleLeft--;
  }

  /** Tells whether a record held on its own (e.g. one that spanned chunks) may be kept. */
  mayKeepWhole(record: Buffer): boolean {
    if (this.sampleLeft > 0) {
      this.sampleLeft--;
      return true;
    }
    for (const needle of this.needles) {
      for (let at = record.indexOf(needle); at !== -1; at = record.indexOf(needle, at + 1)) {
        if (needleAt(record, at, needle)) return true;
      }
    }
    return mayBeEnvelope(record, 0, record.length);
  }
}

function compareNumbers(a: number, b: number): number {
  return a - b;
}

/**
 * Tells whether `bytes[from, to)` may be an envelope such as {"records":[...]}, which decodes to several
 * records. Only an object ending in `]}` is searched for the keys, so that records need no second search.
 * NOTE: an envelope with a member after its array (Graph's "@odata.nextLink") and no counted code is
 * passed over as one record, although a full parse counts each of its elements.
 */
function mayBeEnvelope(bytes: Buffer, from: number, to: number): boolean {
  let end = to - 1;
  while (end >= from && isWhitespace(bytes[end])) end--;
  if (end < from || bytes[end] !== CLOSE_BRACE) return false;
  end--;
  while (end >= from && isWhitespace(bytes[end])) end--;
  if (end < from || bytes[end] !== CLOSE_BRACKET) return false;

  const record = bytes.subarray(from, to);
  for (const key of ENVELOPE_KEYS) {
    for (let at = record.indexOf(key); at !== -1; at = record.indexOf(key, at + key.length)) {
      if (opensArray(record, at + key.length)) return true;
    }
  }
  return false;
}

/** Tells whether `: [` (with any whitespace) follows `offset`, i.e. a key's value is an array. */
function opensArray(bytes: Buffer, offset: number): boolean {
  let i = offset;
  while (i < bytes.length && isWhitespace(bytes[i])) i++;
  if (bytes[i] !== COLON) return false;
  i++;
  while (i < bytes.length && isWhitespace(bytes[i])) i++;
  return bytes[i] === OPEN_BRACKET;
}

/** Tells whether `bytes[from, to)` contains only JSON whitespace; stops at the first other byte. */
export function isBlank(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (!isWhitespace(bytes[i])) return false;
  }
  return true;
}
