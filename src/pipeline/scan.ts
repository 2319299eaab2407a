import { statSync } from 'node:fs';
import type { SignIn, RecordSource } from '../core/signin.js';
import type { TimeParseOptions } from '../core/time.js';
import { InputDecoder, type DecodeSink } from '../decoders/decode.js';
import type { LayoutName, SchemaName } from '../decoders/layouts.js';
import type { SkipReason } from '../decoders/schemas/result.js';
import type { ParityAlert } from '../detect/alert.js';
import type { Detector } from '../detect/detector.js';
import type { FilterOutcome } from '../detect/rule-filter.js';
import { inputName, type Input } from '../sources/inputs.js';
import { openInput } from '../sources/open.js';
import { runParallelScan } from './parallel-scan.js';
import { increment, newFileStats, type FileStats } from './stats.js';

export interface ScanOptions {
  readonly layout: LayoutName;
  readonly time: TimeParseOptions;
  readonly maxRecordBytes: number;
  readonly tableHint: string | null;
  /** Lets the detector's relevant ResultType codes pick records before parsing (default true). */
  readonly prefilter?: boolean;
  /** Worker threads to read with (default 1: the calling thread reads everything). */
  readonly threads?: number;
  /** With threads, the most skipped records per reason that each file range hands to onSkip; counts stay exact. */
  readonly skipEventLimit?: number;
  /** Receives every skipped record, e.g. to print it; counting is done here regardless. */
  readonly onSkip?: (reason: SkipReason, source: RecordSource, message: string) => void;
  /** Receives each file's stats when the file has been read. */
  readonly onFileDone?: (stats: FileStats) => void;
  /** Receives every sign-in after the detector has seen it. */
  readonly onSignIn?: (signIn: SignIn) => void;
}

export interface ScanResult {
  readonly files: FileStats[];
  readonly alerts: ParityAlert[];
}

/** Reads every input in turn, feeds each sign-in to the detector, and returns the alerts and what was read. */
export async function runScan(inputs: readonly Input[], detector: Detector, options: ScanOptions): Promise<ScanResult> {
  const threads = options.threads ?? 1;
  if (threads > 1 && canScanInParallel(inputs, detector)) {
    return runParallelScan(inputs as Extract<Input, { kind: 'file' }>[], detector, options, threads);
  }

  const files: FileStats[] = [];

  for (const input of inputs) {
    const stats = newFileStats(inputName(input));
    files.push(stats);
    await scanInput(input, stats, detector, options);
    options.onFileDone?.(stats);
  }

  return { files, alerts: detector.finish() };
}

/** Inputs smaller than this in all are read on the calling thread: starting workers would cost more. */
const PARALLEL_MIN_BYTES = 64 << 20;

/**
 * Tells whether threads may share the scan: every input is a file, there is enough to read, and the
 * detector's alerts depend only on the records with its relevant codes, which are all that threads hand over.
 */
function canScanInParallel(inputs: readonly Input[], detector: Detector): boolean {
  if (inputs.some((input) => input.kind !== 'file')) return false;
  if ((detector.relevantResultTypes?.() ?? null) === null) return false;
  let bytes = 0;
  for (const input of inputs) {
    try {
      bytes += statSync((input as Extract<Input, { kind: 'file' }>).path).size;
    } catch {
      // Reported when the file is opened.
    }
  }
  return bytes >= PARALLEL_MIN_BYTES;
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

  const prefilter = options.prefilter === false ? null : (detector.relevantResultTypes?.() ?? null);
  const decodeOptions = { layout: options.layout, time: options.time, maxRecordBytes: options.maxRecordBytes, tableHint: options.tableHint, prefilter };
  const sink = statsSink(stats, (signIn) => {
    const outcome = detector.add(signIn);
    options.onSignIn?.(signIn);
    return outcome;
  }, options.onSkip);
  const decoder = new InputDecoder(stats.file, decodeOptions, sink);

  const result = await decoder.decode(opened);
  stats.framing = result.framing;
  stats.fatal = result.fatal;
}

/**
 * Builds a decoder sink that keeps a file's stats: every record read is counted once, as mapped (with the
 * outcome `accept` returns), skipped or passed over.
 */
export function statsSink(
  stats: FileStats,
  accept: (signIn: SignIn) => FilterOutcome,
  onSkip?: (reason: SkipReason, source: RecordSource, message: string) => void,
): DecodeSink {
  return {
    signIn(signIn: SignIn, schema: SchemaName, warnings: readonly string[] | undefined): void {
      stats.records++;
      increment(stats.schemas, schema);
      increment(stats.tables, signIn.Type);
      if (warnings !== undefined) for (const warning of warnings) increment(stats.warnings, warning);
      if (signIn.CorruptedFields !== null) increment(stats.warnings, 'corrupted-nested-field');

      const time = signIn.TimeGenerated;
      if (stats.earliest === null || time < stats.earliest) stats.earliest = time;
      if (stats.latest === null || time > stats.latest) stats.latest = time;

      increment(stats.outcomes, accept(signIn));
    },
    skipped(reason: SkipReason, source: RecordSource, message: string, detail: string | undefined): void {
      stats.records++;
      increment(stats.skipped, reason);
      if (reason === 'other-category' && detail !== undefined) increment(stats.otherCategories, detail);
      onSkip?.(reason, source, message);
    },
    passedOver(): void {
      stats.records++;
      stats.passedOver++;
    },
  };
}
