import { parse } from 'csv-parse/sync';

const NEWLINE = 0x0a;
const QUOTE = 0x22;

/** Outcome of a search for the next intact CSV row after a broken one. */
export type RowSearch =
  /** A row with the expected number of fields starts at `offset`, after `lines` lines were passed over. */
  | { readonly kind: 'found'; readonly offset: number; readonly lines: number }
  /** The bytes end inside a candidate row: search again from `offset`, with more bytes appended. */
  | { readonly kind: 'more'; readonly offset: number; readonly lines: number }
  /** The input ended without another intact row. */
  | { readonly kind: 'none'; readonly lines: number };

/**
 * Finds the first line, at or after the line start `from`, that begins a CSV row of exactly `columns` fields
 * when parsed on its own. A row may span lines (quoted cells with line breaks), so each candidate is read to
 * its end by matching quotes, at most `maxRowBytes` bytes, and then parsed. `final` means that `bytes`
 * contains the rest of the input.
 */
export function findRowStart(bytes: Buffer, from: number, columns: number, maxRowBytes: number, final: boolean): RowSearch {
  let start = from;
  let lines = 0;
  for (;;) {
    if (start >= bytes.length) return final ? { kind: 'none', lines } : { kind: 'more', offset: start, lines };

    const end = rowEnd(bytes, start, maxRowBytes);
    if (end === ROW_CUT && !final) return { kind: 'more', offset: start, lines };
    if (end !== ROW_TOO_LONG && isRow(bytes.subarray(start, end === ROW_CUT ? bytes.length : end), columns)) return { kind: 'found', offset: start, lines };

    const newline = bytes.indexOf(NEWLINE, start);
    if (newline === -1) return final ? { kind: 'none', lines } : { kind: 'more', offset: start, lines };
    start = newline + 1;
    lines++;
  }
}

const ROW_CUT = -1;
const ROW_TOO_LONG = -2;

/**
 * Returns the offset after the newline that ends the row starting at `start`, reading quoted cells as
 * RFC 4180 does: ROW_TOO_LONG when the row exceeds `maxRowBytes`, and ROW_CUT when the bytes end first.
 */
function rowEnd(bytes: Buffer, start: number, maxRowBytes: number): number {
  const limit = Math.min(bytes.length, start + maxRowBytes);
  let quoted = false;
  for (let i = start; i < limit; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) quoted = !quoted;
    else if (byte === NEWLINE && !quoted) return i + 1;
  }
  return limit === bytes.length ? ROW_CUT : ROW_TOO_LONG;
}

function isRow(text: Buffer, columns: number): boolean {
  if (text.toString('latin1').trim().length === 0) return false;
  try {
    const rows = parse(text, { relax_column_count: true }) as string[][];
    return rows.length === 1 && rows[0].length === columns;
  } catch {
    return false;
  }
}
