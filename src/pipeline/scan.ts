import type { SignIn, RecordSource } from '../core/signin.js';
import type { TimeParseOptions } from '../core/time.js';
import { InputDecoder } from '../decoders/decode.js';
import type { LayoutName, SchemaName } from '../decoders/layouts.js';
import type { SkipReason } from '../decoders/schemas/result.js';
import type { Alert, Detector } from '../detect/detector.js';
import { inputName, type Input } from '../sources/inputs.js';
import { openInput } from '../sources/open.js';
import { increment, newFileStats, type FileStats } from './stats.js';

export interface ScanOptions {
  readonly layout: LayoutName;
  readonly time: TimeParseOptions;
  readonly maxRecordBytes: number;
  readonly tableHint: string | null;
  /** Receives every skipped record, e.g. to print it; counting is done here regardless. */
  readonly onSkip?: (reason: SkipReason, source: RecordSource, message: string) => void;
  /** Receives each file's stats when the file has been read. */
  readonly onFileDone?: (stats: FileStats) => void;
  /** Receives every sign-in after the detector has seen it. */
  readonly onSignIn?: (signIn: SignIn) => void;
}

export interface ScanResult {
  readonly files: FileStats[];
  readonly alerts: Alert[];
}

/** Reads every input in turn, feeds each sign-in to the detector, and returns the alerts and what was read. */
export async function runScan(inputs: readonly Input[], detector: Detector, options: ScanOptions): Promise<ScanResult> {
  const files: FileStats[] = [];

  for (const input of inputs) {
    const stats = newFileStats(inputName(input));
    files.push(stats);
    await scanInput(input, stats, detector, options);
    options.onFileDone?.(stats);
  }

  return { files, alerts: detector.finish() };
}

async function scanInput(input: Input, stats: FileStats, detector: Detector, options: ScanOptions): Promise<void> {
  let opened;
  try {
    opened = await openInput(input);
  } catch (error) {
    stats.fatal = `cannot open: ${(error as NodeJS.ErrnoException).message}`;
    return;
  }
  stats.encoding = opened.encoding;
  stats.compression = opened.compression;

  const decoder = new InputDecoder(stats.file, { layout: options.layout, time: options.time, maxRecordBytes: options.maxRecordBytes, tableHint: options.tableHint }, {
    signIn(signIn: SignIn, schema: SchemaName, warnings: readonly string[] | undefined): void {
      stats.records++;
      increment(stats.schemas, schema);
      increment(stats.tables, signIn.Type);
      if (warnings !== undefined) for (const warning of warnings) increment(stats.warnings, warning);
      if (signIn.CorruptedFields !== null) increment(stats.warnings, 'corrupted-nested-field');

      const time = signIn.TimeGenerated;
      if (stats.earliest === null || time < stats.earliest) stats.earliest = time;
      if (stats.latest === null || time > stats.latest) stats.latest = time;

      increment(stats.outcomes, detector.add(signIn));
      options.onSignIn?.(signIn);
    },
    skipped(reason: SkipReason, source: RecordSource, message: string, detail: string | undefined): void {
      stats.records++;
      increment(stats.skipped, reason);
      if (reason === 'other-category' && detail !== undefined) increment(stats.otherCategories, detail);
      options.onSkip?.(reason, source, message);
    },
  });

  const result = await decoder.decode(opened);
  stats.framing = result.framing;
  stats.fatal = result.fatal;
}
