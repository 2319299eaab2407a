/**
 * The decoder sink that keeps a file's stats, shared by the scan on the calling thread and by scan tasks.
 */
import type { RecordSource, SignIn } from '../core/signin.js';
import { DecodeAborted, INVALID_UTF8_WARNING, type DecodeSink } from '../decoders/decode.js';
import type { SchemaName } from '../decoders/layouts.js';
import type { SkipReason } from '../decoders/schemas/result.js';
import type { FilterOutcome } from '../detect/rule-filter.js';
import { DuplicateIdTracker, recordQuality } from './quality.js';
import { increment, type FileStats } from './stats.js';

/** The first invalid record under --strict, which stopped the scan. */
export interface InvalidRecord {
  readonly source: RecordSource;
  readonly reason: SkipReason | typeof INVALID_UTF8_WARNING;
  readonly message: string;
}

/** Stops a --strict scan at its first invalid record. */
export class StrictStop extends DecodeAborted {
  constructor(readonly record: InvalidRecord) {
    super(`${record.reason}: ${record.message}`);
  }
}

/**
 * Builds a decoder sink that keeps a file's stats: every record read is counted once, as mapped (with the
 * outcome `accept` returns), skipped or passed over. With `quality.ids` it also tracks data-quality warnings,
 * and with `quality.strict` it stops at the first invalid record.
 */
export function statsSink(
  stats: FileStats,
  accept: (signIn: SignIn) => FilterOutcome,
  onSkip?: (reason: SkipReason, source: RecordSource, message: string) => void,
  quality: { ids: DuplicateIdTracker | null; strict: boolean } = { ids: new DuplicateIdTracker(), strict: false },
): DecodeSink {
  const abort = (record: InvalidRecord): never => {
    throw new StrictStop(record);
  };

  return {
    signIn(signIn: SignIn, schema: SchemaName, warnings: readonly string[] | undefined): void {
      stats.records++;
      increment(stats.schemas, schema);
      increment(stats.tables, signIn.Type);
      recordQuality(stats, signIn, quality.ids, warnings);

      const time = signIn.TimeGenerated;
      if (stats.earliest === null || time < stats.earliest) stats.earliest = time;
      if (stats.latest === null || time > stats.latest) stats.latest = time;

      increment(stats.outcomes, accept(signIn));
      if (quality.strict && warnings?.includes(INVALID_UTF8_WARNING)) {
        abort({ source: signIn.Source, reason: INVALID_UTF8_WARNING, message: 'record has invalid UTF-8 bytes' });
      }
    },
    skipped(reason: SkipReason, source: RecordSource, message: string, detail: string | undefined): void {
      stats.records++;
      increment(stats.skipped, reason);
      if (!stats.firstSkipped.has(reason)) stats.firstSkipped.set(reason, source);
      if (reason === 'other-category' && detail !== undefined) increment(stats.otherCategories, detail);
      onSkip?.(reason, source, message);
      if (quality.strict && reason !== 'other-category') abort({ source, reason, message });
    },
    passedOver(): void {
      stats.records++;
      stats.passedOver++;
    },
  };
}
