import { getProperty, kqlToString } from '../core/kql.js';
import { NON_INTERACTIVE_SIGNIN_LOGS, SIGNIN_LOGS, type RecordSource, type SignIn } from '../core/signin.js';
import { formatTicks, TICKS_PER_HOUR, type Ticks } from '../core/time.js';
import { increment, type FileStats } from './stats.js';

/**
 * Data-quality warnings: facts about the input that change what a scan can conclude. Per-record ones are
 * counted as records are read (recordQuality); the ones across files are derived at the end
 * (qualityWarnings). `scan` and `inspect` both print them from here.
 */

/** Per-record warning codes and what each means for the scan. */
export const WARNING_TEXT: Record<string, string> = {
  'no-time-generated': 'rows without TimeGenerated; CreatedDateTime (the sign-in time, usually minutes earlier) was used',
  'corrupted-nested-field': 'records whose nested object was flattened into text (e.g. "[object Object]"); their location, device or status is unknown',
  'no-upn': 'records without a UserPrincipalName; the rule groups them all under an empty user',
  'empty-location': 'records with no location at all; parity mode counts each as the location "//", improved mode counts none of them as a location',
  'partial-location': 'records with a partial location (country, state or city missing)',
  'duplicate-id': 'records whose sign-in id was already read; overlapping exports count the same failure twice',
  'invalid-utf8': 'records with invalid UTF-8 bytes, read with U+FFFD in their place',
};

/** A warning with its count and, where it has one, the first record it was seen on. */
export interface QualityWarning {
  readonly code: string;
  readonly count: number;
  readonly text: string;
  readonly first?: RecordSource;
}

/** Gaps and overlaps listed by default; a folder of unrelated exports would otherwise list hundreds. */
const MAX_SPAN_WARNINGS = 5;

/** Gaps between files shorter than this are ordinary quiet periods, not missing data. */
export const GAP_THRESHOLD: Ticks = TICKS_PER_HOUR;

/**
 * Remembers sign-in ids to find duplicates across all files. Ids are kept as 52-bit hashes in a Set capped
 * at `capacity` entries, so memory stays bounded (about 60 MB at the default cap) whatever the input.
 * NOTE: approximate in two ways: two different ids can share a hash (odds about 1 in 9,000 at the cap), and
 * once the cap is reached new ids are no longer remembered, so their later copies go unnoticed.
 */
export class DuplicateIdTracker {
  private readonly seen = new Set<number>();
  /** Ids not remembered because the cap was reached. */
  untracked = 0;

  constructor(readonly capacity = 1_000_000) {}

  /** Returns true when `id` was offered before. Empty ids are never duplicates. */
  offer(id: string): boolean {
    if (id.length === 0) return false;
    return this.offerHash(hashId(id));
  }

  /** Returns true when an id with this hash (from hashId) was offered before. */
  offerHash(hash: number): boolean {
    if (this.seen.has(hash)) return true;
    if (this.seen.size >= this.capacity) this.untracked++;
    else this.seen.add(hash);
    return false;
  }
}

/** FNV-1a over UTF-16 code units in two 32-bit lanes, folded to 52 bits so that it stays an exact double. */
export function hashId(id: string): number {
  let low = 0x811c9dc5;
  let high = 0x01000193;
  for (let i = 0; i < id.length; i++) {
    const unit = id.charCodeAt(i);
    low = Math.imul(low ^ unit, 0x01000193);
    high = Math.imul(high ^ unit, 0x0100019d);
  }
  return (high >>> 12) * 0x100000000 + (low >>> 0);
}

function warn(stats: FileStats, code: string, source: RecordSource): void {
  increment(stats.warnings, code);
  if (!stats.firstWarned.has(code)) stats.firstWarned.set(code, source);
}

/** Counts a sign-in whose id was read before, at `source`. */
export function warnDuplicateId(stats: FileStats, source: RecordSource): void {
  warn(stats, 'duplicate-id', source);
}

/**
 * Counts the per-record warnings of one mapped sign-in and extends its table's time span in the file. With
 * `ids` null the duplicate-id check is left to the caller (scan tasks leave it to the thread that merges them).
 */
export function recordQuality(stats: FileStats, signIn: SignIn, ids: DuplicateIdTracker | null, decoderWarnings: readonly string[] | undefined): void {
  const source = signIn.Source;
  if (decoderWarnings !== undefined) for (const code of decoderWarnings) warn(stats, code, source);
  if (signIn.CorruptedFields !== null) warn(stats, 'corrupted-nested-field', source);
  if (signIn.UserPrincipalName.length === 0) warn(stats, 'no-upn', source);

  const location = signIn.LocationDetails;
  const present =
    (kqlToString(getProperty(location, 'countryOrRegion')).length > 0 ? 1 : 0) +
    (kqlToString(getProperty(location, 'state')).length > 0 ? 1 : 0) +
    (kqlToString(getProperty(location, 'city')).length > 0 ? 1 : 0);
  if (present === 0) warn(stats, 'empty-location', source);
  else if (present < 3) warn(stats, 'partial-location', source);

  if (ids?.offer(signIn.Id) === true) warn(stats, 'duplicate-id', source);

  // Only the rule's two tables get a span, so a Type column full of junk values cannot grow the map.
  if (signIn.Type !== SIGNIN_LOGS && signIn.Type !== NON_INTERACTIVE_SIGNIN_LOGS) return;
  const time = signIn.TimeGenerated;
  const span = stats.spans.get(signIn.Type);
  if (span === undefined) {
    stats.spans.set(signIn.Type, { earliest: time, latest: time });
  } else {
    if (time < span.earliest) span.earliest = time;
    if (time > span.latest) span.latest = time;
  }
}

/** Returns one file's per-record warnings, most frequent first. */
export function fileWarnings(stats: FileStats): QualityWarning[] {
  return [...stats.warnings.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => ({ code, count, text: WARNING_TEXT[code] ?? code, first: stats.firstWarned.get(code) }));
}

function hours(ticks: Ticks): string {
  return (Number(ticks / (TICKS_PER_HOUR / 10n)) / 10).toFixed(1);
}

/** Returns the warnings across files: totals of the per-record ones, no non-interactive records, gaps and overlaps. */
export function qualityWarnings(files: readonly FileStats[], ids?: DuplicateIdTracker, maxSpanWarnings = MAX_SPAN_WARNINGS): QualityWarning[] {
  const totals = new Map<string, number>();
  const firsts = new Map<string, RecordSource>();
  let mapped = 0;
  let nonInteractive = 0;
  for (const file of files) {
    for (const [code, count] of file.warnings) increment(totals, code, count);
    for (const [code, source] of file.firstWarned) if (!firsts.has(code)) firsts.set(code, source);
    for (const [table, count] of file.tables) {
      mapped += count;
      if (table === NON_INTERACTIVE_SIGNIN_LOGS) nonInteractive += count;
    }
  }

  const warnings: QualityWarning[] = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => ({ code, count, text: WARNING_TEXT[code] ?? code, first: firsts.get(code) }));

  if (mapped > 0 && nonInteractive === 0) {
    warnings.push({
      code: 'no-non-interactive',
      count: 0,
      text:
        'no non-interactive sign-ins at all: attacks on non-interactive flows cannot be seen (Graph /auditLogs/signIns ' +
        "returns only interactive ones unless filtered on signInEventTypes, and the admin center downloads them separately)",
    });
  }
  if (ids !== undefined && ids.untracked > 0) {
    warnings.push({
      code: 'duplicate-id-untracked',
      count: ids.untracked,
      text: `sign-in ids not checked for duplicates, past the ${ids.capacity} remembered`,
    });
  }
  for (const file of files) {
    if (file.changed === null) continue;
    warnings.push({
      code: 'changed-while-read',
      count: 0,
      text: `${file.file} changed while it was read (${file.changed}): its records may mix old and new contents, and records written meanwhile may be missing; scan it again once nothing writes to it`,
    });
  }
  const spans = spanWarnings(files);
  warnings.push(...spans.slice(0, maxSpanWarnings));
  if (spans.length > maxSpanWarnings) {
    warnings.push({ code: 'more-gaps', count: spans.length - maxSpanWarnings, text: 'more gaps or overlaps between files (inspect --json lists them all)' });
  }
  return warnings;
}



function byEarliest(a: { earliest: Ticks }, b: { earliest: Ticks }): number {
  if (a.earliest < b.earliest) return -1;
  return a.earliest > b.earliest ? 1 : 0;
}

/** Finds, per table, overlaps (double counting) and gaps longer than GAP_THRESHOLD (missing data) between files. */
function spanWarnings(files: readonly FileStats[]): QualityWarning[] {
  const byTable = new Map<string, { file: string; earliest: Ticks; latest: Ticks }[]>();
  for (const file of files) {
    for (const [table, span] of file.spans) {
      const list = byTable.get(table) ?? [];
      list.push({ file: file.file, earliest: span.earliest, latest: span.latest });
      byTable.set(table, list);
    }
  }

  const warnings: QualityWarning[] = [];
  for (const [table, spans] of byTable) {
    if (spans.length < 2) continue;
    spans.sort(byEarliest);

    let reach = spans[0];
    for (const next of spans.slice(1)) {
      if (next.earliest < reach.latest) {
        warnings.push({
          code: 'overlap',
          count: 1,
          text: `${table}: ${next.file} overlaps ${reach.file} from ${formatTicks(next.earliest)} to ${formatTicks(next.latest < reach.latest ? next.latest : reach.latest)}; the same sign-ins may be counted twice`,
        });
      } else if (next.earliest - reach.latest > GAP_THRESHOLD) {
        warnings.push({
          code: 'gap',
          count: 1,
          text: `${table}: no records for ${hours(next.earliest - reach.latest)} h between ${reach.file} (ends ${formatTicks(reach.latest)}) and ${next.file} (starts ${formatTicks(next.earliest)}); data may be missing`,
        });
      }
      if (next.latest > reach.latest) reach = next;
    }
  }
  return warnings;
}
