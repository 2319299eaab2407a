import type { SkipReason } from '../decoders/schemas/result.js';
import type { Framing, SchemaName } from '../decoders/layouts.js';
import type { FilterOutcome } from '../detect/rule-filter.js';
import type { TextEncoding } from '../sources/open.js';
import type { Ticks } from '../core/time.js';
import type { RecordSource } from '../core/signin.js';

/** First and last TimeGenerated of one table's records in one file. */
export interface TimeSpan {
  earliest: Ticks;
  latest: Ticks;
}

/** Counts of what was read from one input. Every record read is mapped, skipped or passed over, and every mapped one is classified. */
export interface FileStats {
  readonly file: string;
  framing: Framing;
  encoding: TextEncoding;
  /** Mapped records' time span per table, for gaps and overlaps between files. */
  readonly spans: Map<string, TimeSpan>;
  /** Location of the first record skipped for each reason, so a report can point at it. */
  readonly firstSkipped: Map<SkipReason, RecordSource>;
  /** Location of the first record with each data-quality warning. */
  readonly firstWarned: Map<string, RecordSource>;
  compression: 'none' | 'gzip';
  /** Record layouts seen, with their record counts. */
  readonly schemas: Map<SchemaName, number>;
  /** Records read: mapped plus skipped plus passed over. */
  records: number;
  /**
   * Records the pre-filter passed over unparsed: none holds a ResultType the rule counts, so none is a
   * counted failure.
   * NOTE: nothing else is known about them. Their table, layout and time are not read, and invalid JSON
   * among them is not found, so with the pre-filter on the per-table counts, the skipped counts and the
   * time span cover only the records that were parsed. `--no-prefilter` parses and reports every record.
   */
  passedOver: number;
  /** Mapped records per table. */
  readonly tables: Map<string, number>;
  /** Mapped records by the rule filters' outcome ('counted' are the failures the rule counts). */
  readonly outcomes: Map<FilterOutcome, number>;
  /** Skipped records by reason. */
  readonly skipped: Map<SkipReason, number>;
  /** Skipped records of other diagnostic categories, by category. */
  readonly otherCategories: Map<string, number>;
  /** Data-quality warnings by code (e.g. no-time-generated), with counts. */
  readonly warnings: Map<string, number>;
  earliest: Ticks | null;
  latest: Ticks | null;
  /** Set when reading stopped early; the records before the error still count. */
  fatal: string | null;
  /** Set when the file's size or modification time changed while it was read: what changed. */
  changed: string | null;
}

export function newFileStats(file: string): FileStats {
  return {
    file,
    framing: 'empty',
    encoding: 'utf-8',
    spans: new Map(),
    firstSkipped: new Map(),
    firstWarned: new Map(),
    compression: 'none',
    schemas: new Map(),
    records: 0,
    passedOver: 0,
    tables: new Map(),
    outcomes: new Map(),
    skipped: new Map(),
    otherCategories: new Map(),
    warnings: new Map(),
    earliest: null,
    latest: null,
    fatal: null,
    changed: null,
  };
}

export function increment<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Totals over all files. */
export interface ScanTotals {
  files: number;
  unreadableFiles: number;
  records: number;
  mapped: number;
  counted: number;
  skipped: number;
  passedOver: number;
  readonly skippedByReason: Map<SkipReason, number>;
  readonly tables: Map<string, number>;
  readonly outcomes: Map<FilterOutcome, number>;
  readonly otherCategories: Map<string, number>;
  readonly warnings: Map<string, number>;
  earliest: Ticks | null;
  latest: Ticks | null;
}

export function totalsOf(files: readonly FileStats[]): ScanTotals {
  const totals: ScanTotals = {
    files: files.length,
    unreadableFiles: 0,
    records: 0,
    mapped: 0,
    counted: 0,
    skipped: 0,
    passedOver: 0,
    skippedByReason: new Map(),
    tables: new Map(),
    outcomes: new Map(),
    otherCategories: new Map(),
    warnings: new Map(),
    earliest: null,
    latest: null,
  };

  for (const file of files) {
    if (file.fatal !== null && file.records === 0) totals.unreadableFiles++;
    totals.records += file.records;
    totals.passedOver += file.passedOver;
    for (const [reason, count] of file.skipped) {
      totals.skipped += count;
      increment(totals.skippedByReason, reason, count);
    }
    for (const [table, count] of file.tables) {
      totals.mapped += count;
      increment(totals.tables, table, count);
    }
    for (const [outcome, count] of file.outcomes) increment(totals.outcomes, outcome, count);
    for (const [category, count] of file.otherCategories) increment(totals.otherCategories, category, count);
    for (const [warning, count] of file.warnings) increment(totals.warnings, warning, count);
    if (file.earliest !== null && (totals.earliest === null || file.earliest < totals.earliest)) totals.earliest = file.earliest;
    if (file.latest !== null && (totals.latest === null || file.latest > totals.latest)) totals.latest = file.latest;
  }
  totals.counted = totals.outcomes.get('counted') ?? 0;
  return totals;
}
