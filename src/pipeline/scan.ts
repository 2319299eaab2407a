import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { SignIn, RecordSource } from '../core/signin.js';
import type { TimeParseOptions } from '../core/time.js';
import { DecodeAborted, InputDecoder } from '../decoders/decode.js';
import { PREFILTER_SAMPLE_RECORDS } from '../decoders/prefilter.js';
import type { LayoutName, SchemaName } from '../decoders/layouts.js';
import type { SkipReason } from '../decoders/schemas/result.js';
import type { Alert, Detector } from '../detect/detector.js';
import type { FilterOutcome } from '../detect/rule-filter.js';
import { DEFAULT_ARCHIVE_LIMITS, isZipFile, readZipMembers, type ArchiveLimits } from '../sources/archive.js';
import { inputName, type Input } from '../sources/inputs.js';
import { openInput, type OpenedInput } from '../sources/open.js';
import { runParallelScan } from './parallel-scan.js';
import { DuplicateIdTracker } from './quality.js';
import { newFileStats, type FileStats } from './stats.js';
import { StrictStop, statsSink, type InvalidRecord } from './stats-sink.js';

export type { InvalidRecord } from './stats-sink.js';

export interface ScanOptions {
  readonly layout: LayoutName;
  readonly time: TimeParseOptions;
  readonly maxRecordBytes: number;
  readonly tableHint: string | null;
  /** Stop at the first invalid record (any skip except a category the rule does not read, or invalid UTF-8). */
  readonly strict?: boolean;
  readonly archiveLimits?: ArchiveLimits;
  /** Lets the detector's relevant ResultType codes pick records before parsing (default false: every record is parsed). */
  readonly prefilter?: boolean;
  /** Worker threads to read with (default 1: the calling thread reads everything). */
  readonly threads?: number;
  /** With threads, the most skipped records per reason that each file range hands to onSkip; counts stay exact. */
  readonly skipEventLimit?: number;
  /** Receives every skipped record, e.g. to print it; counting is done here regardless. */
  readonly onSkip?: (reason: SkipReason, source: RecordSource, message: string) => void;
  /** Receives each file's stats when the file has been read. */
  readonly onFileDone?: (stats: FileStats) => void;
  /** Receives every sign-in after the detector has seen it (with threads, only those the detector needs). */
  readonly onSignIn?: (signIn: SignIn) => void;
  /** Set when onSignIn must receive every sign-in (the report's evidence): the scan then runs on one thread. */
  readonly everySignIn?: boolean;
  /**
   * Sizes and modification times taken before an earlier pass over the same inputs, so that a change during
   * that pass is reported too. By default they are taken when this scan starts.
   */
  readonly filesBefore?: ReadonlyMap<string, FileState | null>;
}


export interface ScanResult {
  readonly files: FileStats[];
  readonly alerts: Alert[];
  /** Archive members not read because their names are not log files. */
  readonly ignoredMembers: string[];
  /** Duplicate-id state, for the warning about ids past its cap. */
  readonly ids: DuplicateIdTracker;
  /** Set when --strict stopped the scan; files after it were not read. */
  readonly invalidRecord: InvalidRecord | null;
}

/**
 * Reads every input, in turn or on several threads, feeds each sign-in to the detector, and returns the alerts
 * and what was read. A file whose size or modification time differs after the scan is marked as changed.
 */
export async function runScan(inputs: readonly Input[], detector: Detector, options: ScanOptions): Promise<ScanResult> {
  const before = options.filesBefore ?? fileStates(inputs);
  const threads = options.threads ?? 1;
  const result =
    threads > 1 && canScanInParallel(inputs, detector, options)
      ? await runParallelScan(inputs as Extract<Input, { kind: 'file' }>[], detector, options, threads)
      : await scanInTurn(inputs, detector, options);

  for (const stats of result.files) {
    const was = before.get(stats.file);
    if (was === undefined || was === null) continue;
    const now = fileState(stats.file);
    if (now === null) stats.changed = 'removed';
    else if (now.size !== was.size) stats.changed = `size ${was.size} to ${now.size} bytes`;
    else if (now.mtimeMs !== was.mtimeMs) stats.changed = 'modified';
  }
  return result;
}

/** Size and modification time of a file. */
export interface FileState {
  readonly size: number;
  readonly mtimeMs: number;
}

/** Returns the size and modification time of every file among the inputs (null for one that cannot be read). */
export function fileStates(inputs: readonly Input[]): Map<string, FileState | null> {
  return new Map(inputs.filter((input) => input.kind === 'file').map((input) => [input.path, fileState(input.path)]));
}

/** Size and modification time of a file, or null when it cannot be read. */
function fileState(file: string): FileState | null {
  try {
    const { size, mtimeMs } = statSync(file);
    return { size, mtimeMs };
  } catch {
    return null;
  }
}

/** Reads every input in turn on this thread. */
async function scanInTurn(inputs: readonly Input[], detector: Detector, options: ScanOptions): Promise<ScanResult> {
  const files: FileStats[] = [];
  const ignoredMembers: string[] = [];
  const ids = new DuplicateIdTracker();
  let invalidRecord: InvalidRecord | null = null;

  const read = async (name: string, opened: OpenedInput): Promise<void> => {
    const stats = newFileStats(name);
    files.push(stats);
    stats.encoding = opened.encoding;
    stats.compression = opened.compression;
    try {
      await decodeInto(opened, stats, detector, ids, options);
    } catch (error) {
      // A record cut by damage (a truncated gzip file) is invalid, and --strict stops at it: the damage is
      // the cause worth naming.
      const damage = opened.damage?.() ?? null;
      if (error instanceof StrictStop && damage !== null) throw new StrictStop({ ...error.record, message: `${error.record.message} (the file is damaged: ${damage})` });
      throw error;
    } finally {
      options.onFileDone?.(stats);
    }
  };
  const failed = (name: string, message: string): void => {
    const stats = newFileStats(name);
    stats.fatal = message;
    files.push(stats);
    options.onFileDone?.(stats);
  };

  try {
    for (const input of inputs) {
      if (input.kind === 'file' && (await isZipFile(input.path))) {
        let members;
        try {
          members = readZipMembers(input.path, options.archiveLimits ?? DEFAULT_ARCHIVE_LIMITS);
          for await (const member of members) {
            if (member.kind === 'ignored') ignoredMembers.push(member.name);
            else if (member.kind === 'rejected') failed(member.name, member.message);
            else {
              try {
                await read(member.name, member.opened);
              } finally {
                await member.finished();
              }
            }
          }
        } catch (error) {
          if (error instanceof DecodeAborted) throw error;
          failed(input.path, `cannot read zip archive: ${(error as Error).message}`);
        }
        continue;
      }

      let opened;
      try {
        opened = await openInput(input);
      } catch (error) {
        failed(inputName(input), `cannot open: ${(error as NodeJS.ErrnoException).message}`);
        continue;
      }
      await read(inputName(input), opened);
    }
  } catch (error) {
    if (!(error instanceof StrictStop)) throw error;
    invalidRecord = (error as StrictStop).record;
  }

  return { files, alerts: detector.finish(), ignoredMembers, ids, invalidRecord };
}


/** Inputs smaller than this in all are read on the calling thread: starting workers would cost more. */
const PARALLEL_MIN_BYTES = 64 << 20;

/**
 * Inputs from this size on are read on every core unless --threads sets a count. On the 2-core benchmark
 * machine a second thread was slower on 0.7 GB (0.46 s against 0.39 s) and no faster on 1.4 GB. It was
 * faster from 2.9 GB on: 1.00 s against 1.10 s, and 2.92 s against 3.59 s on 11.5 GB.
 */
const AUTO_THREADS_MIN_BYTES = 2 * 1024 ** 3;

/**
 * Most threads the default takes. Each adds its own heap and read buffers (tens of MB, an estimate), and more
 * than two were never measured, so the default stays low.
 */
const AUTO_THREADS_MAX = 4;

/** Sums the sizes of the plain files among the inputs; standard input and files that cannot be read count 0. */
function plainFileBytes(inputs: readonly Input[]): number {
  let bytes = 0;
  for (const input of inputs) {
    if (input.kind !== 'file') continue;
    try {
      bytes += statSync(input.path).size;
    } catch {
      // Reported when the file is opened.
    }
  }
  return bytes;
}

/**
 * Returns the threads a scan uses without --threads: every core (up to 4) for large inputs, else one. A scan
 * that parses every record (improved mode) gains from threads much sooner: on the 2-core benchmark machine
 * two threads took 0.56 s against 0.62 s on 100 MB, and 2.22 s against 3.24 s on 717 MB.
 */
export function defaultThreads(inputs: readonly Input[], parsesEveryRecord = false): number {
  if (plainFileBytes(inputs) < (parsesEveryRecord ? PARALLEL_MIN_BYTES : AUTO_THREADS_MIN_BYTES)) return 1;
  return Math.max(1, Math.min(availableParallelism(), AUTO_THREADS_MAX));
}

/**
 * Tells whether threads may share the scan: every input is a plain file (no archive), there is enough to read,
 * --strict is off, no caller needs every sign-in, and the detector's alerts depend only on the records that
 * threads hand over (those with its relevant codes, or the counted ones and some users' successes).
 */
export function canScanInParallel(inputs: readonly Input[], detector: Detector, options: ScanOptions): boolean {
  if (options.strict === true || options.everySignIn === true) return false;
  if (inputs.some((input) => input.kind !== 'file' || input.path.toLowerCase().endsWith('.zip'))) return false;
  if ((detector.relevantResultTypes?.() ?? null) === null && (detector.relevantSuccessUsers?.() ?? null) === null) return false;
  return plainFileBytes(inputs) >= PARALLEL_MIN_BYTES;
}

async function decodeInto(opened: OpenedInput, stats: FileStats, detector: Detector, ids: DuplicateIdTracker, options: ScanOptions): Promise<void> {
  const prefilter = options.prefilter === true ? (detector.relevantResultTypes?.() ?? null) : null;
  const decodeOptions = {
    layout: options.layout,
    time: options.time,
    maxRecordBytes: options.maxRecordBytes,
    tableHint: options.tableHint,
    prefilter,
    prefilterSample: PREFILTER_SAMPLE_RECORDS,
  };
  const accept = (signIn: SignIn): FilterOutcome => {
    const outcome = detector.add(signIn);
    options.onSignIn?.(signIn);
    return outcome;
  };
  const sink = statsSink(stats, accept, options.onSkip, { ids, strict: options.strict === true });
  const decoder = new InputDecoder(stats.file, decodeOptions, sink);

  const result = await decoder.decode(opened);
  stats.framing = result.framing;
  stats.fatal = result.fatal;
}
