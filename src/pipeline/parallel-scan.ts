/**
 * The scan spread over threads: JSON-lines files are cut into byte ranges and other files are read whole.
 * The calling thread and the workers each claim the next task from a shared counter and hand back its
 * stats, the sign-ins the rule counts, and the ids of all its sign-ins. The calling thread merges the tasks
 * of each file in file order, so line numbers, record positions, counts and duplicate-id warnings are those
 * of a scan on one thread. It feeds the counted sign-ins to the detector, whose alerts do not depend on the
 * order of its input.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { detectFraming } from '../decoders/decode.js';
import { isWhitespace, PREFILTER_SAMPLE_RECORDS } from '../decoders/prefilter.js';
import type { RecordSource } from '../core/signin.js';
import type { Detector } from '../detect/detector.js';
import { inputName, type Input } from '../sources/inputs.js';
import type { ScanOptions, ScanResult } from './scan.js';
import { DuplicateIdTracker, warnDuplicateId } from './quality.js';
import { increment, newFileStats, type FileStats } from './stats.js';
import { runTask } from './task-runner.js';
import { claimTask, newRangeBuffers, type ScanTask, type TaskResult, type WorkerLane, type WorkerMessage, type WorkerSetup } from './tasks.js';

/** Size of one byte range of a JSON-lines file: large enough that a task's start-up cost is small. */
const RANGE_BYTES = 16 << 20;
const HEAD_BYTES = 64 * 1024;

/** Reads the first bytes of a file, or returns null when it cannot be read (the worker then reports why). */
function readHead(file: string): Buffer | null {
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      return buffer.subarray(0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/**
 * Returns the offset just past the line that ends the first `count` non-blank lines of a file (or the file's
 * size). The first range of a file reaches at least there, so that it contains every record the pre-filter
 * samples, as one thread would sample them.
 */
function endOfSampledLines(file: string, count: number): number {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    let offset = 0;
    let seen = 0;
    let lineHasText = false;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, offset);
      if (read === 0) return offset;
      for (let i = 0; i < read; i++) {
        const byte = buffer[i];
        if (byte === 0x0a) {
          if (lineHasText && ++seen === count) return offset + i + 1;
          lineHasText = false;
        } else if (!isWhitespace(byte)) {
          lineHasText = true;
        }
      }
      offset += read;
    }
  } finally {
    closeSync(fd);
  }
}

/** Tells whether a file is plain UTF-8 JSON lines that can be read from any line start. */
function isSplittable(head: Buffer, layout: ScanOptions['layout']): boolean {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return false;
  if (head.length >= 2 && ((head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0xff && head[1] === 0xfe))) return false;
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return false;
  // UTF-16 without a byte order mark shows zero bytes; UTF-8 JSON has none.
  if (head.subarray(0, 512).includes(0)) return false;
  return detectFraming(head, layout) === 'json-lines';
}

/** Cuts the inputs into tasks; returns each file's tasks in file order. */
export function planTasks(files: readonly string[], layout: ScanOptions['layout'], rangeBytes = RANGE_BYTES): ScanTask[][] {
  let id = 0;
  return files.map((file) => {
    let size = 0;
    try {
      size = statSync(file).size;
    } catch {
      return [{ id: id++, file, kind: 'whole' as const }];
    }
    const head = size > rangeBytes ? readHead(file) : null;
    if (head === null || !isSplittable(head, layout)) return [{ id: id++, file, kind: 'whole' as const }];

    const firstEnd = Math.min(size, Math.max(rangeBytes, endOfSampledLines(file, PREFILTER_SAMPLE_RECORDS)));
    const tasks: ScanTask[] = [{ id: id++, file, kind: 'range', start: 0, end: firstEnd }];
    for (let start = firstEnd; start < size; start += rangeBytes) {
      tasks.push({ id: id++, file, kind: 'range', start, end: Math.min(size, start + rangeBytes) });
    }
    return tasks;
  });
}

/** Adds one task's stats to its file's stats. */
function mergeStats(into: FileStats, from: FileStats, first: boolean, lineOffset: number, indexOffset: number): void {
  if (first) {
    into.framing = from.framing;
    into.encoding = from.encoding;
    into.compression = from.compression;
  }
  into.records += from.records;
  into.passedOver += from.passedOver;
  for (const [key, count] of from.schemas) increment(into.schemas, key, count);
  for (const [key, count] of from.tables) increment(into.tables, key, count);
  for (const [key, count] of from.outcomes) increment(into.outcomes, key, count);
  for (const [key, count] of from.skipped) increment(into.skipped, key, count);
  for (const [key, count] of from.otherCategories) increment(into.otherCategories, key, count);
  for (const [key, count] of from.warnings) increment(into.warnings, key, count);
  if (from.earliest !== null && (into.earliest === null || from.earliest < into.earliest)) into.earliest = from.earliest;
  if (from.latest !== null && (into.latest === null || from.latest > into.latest)) into.latest = from.latest;
  if (into.fatal === null) into.fatal = from.fatal;

  for (const [table, span] of from.spans) {
    const existing = into.spans.get(table);
    if (existing === undefined) {
      into.spans.set(table, { ...span });
    } else {
      if (span.earliest < existing.earliest) existing.earliest = span.earliest;
      if (span.latest > existing.latest) existing.latest = span.latest;
    }
  }
  // Tasks merge in file order, so the first location kept is the first in the file.
  const shift = (source: RecordSource): RecordSource => ({ file: source.file, line: source.line + lineOffset, index: source.index + indexOffset });
  for (const [reason, source] of from.firstSkipped) if (!into.firstSkipped.has(reason)) into.firstSkipped.set(reason, shift(source));
  for (const [warning, source] of from.firstWarned) if (!into.firstWarned.has(warning)) into.firstWarned.set(warning, shift(source));
}

/** A file being merged: its tasks in order, the results that arrived early, and the offsets reached. */
interface FileMerge {
  readonly stats: FileStats;
  readonly tasks: ScanTask[];
  readonly arrived: Map<number, TaskResult>;
  next: number;
  lineOffset: number;
  indexOffset: number;
  /** Each merged task's sign-in ids with the offsets that place them in the file, for the duplicate-id check. */
  readonly ids: { readonly triples: Float64Array; readonly lineOffset: number; readonly indexOffset: number }[];
}

/**
 * Runs the scan on `threads` worker threads. The caller checks that every input is a file and that the
 * detector's alerts depend only on the records threads hand over (see canScanInParallel).
 */
export async function runParallelScan(
  inputs: readonly Extract<Input, { kind: 'file' }>[],
  detector: Detector,
  options: ScanOptions,
  threads: number,
  rangeBytes = RANGE_BYTES,
): Promise<ScanResult> {
  const relevant = detector.relevantResultTypes?.() ?? null;
  const successUsers = detector.relevantSuccessUsers?.() ?? null;
  if (relevant === null && successUsers === null) {
    throw new Error('a parallel scan needs a detector whose alerts depend only on its relevant ResultType codes, or on counted records and some users\' successes');
  }

  const plan = planTasks(inputs.map(inputName), options.layout, rangeBytes);
  const merges: FileMerge[] = plan.map((tasks, i) => ({
    stats: newFileStats(inputName(inputs[i])),
    tasks,
    arrived: new Map(),
    next: 0,
    lineOffset: 0,
    indexOffset: 0,
    ids: [],
  }));
  const fileOfTask = new Map<number, FileMerge>();
  for (const merge of merges) for (const task of merge.tasks) fileOfTask.set(task.id, merge);
  const tasks = plan.flat();

  const setup: WorkerSetup = {
    layout: options.layout,
    time: options.time,
    maxRecordBytes: options.maxRecordBytes,
    tableHint: options.tableHint,
    // Successes have no code the pre-filter could look for, so a scan that needs some parses every record.
    prefilter: options.prefilter === true && successUsers === null ? relevant : null,
    successUsers: successUsers === null ? null : [...successUsers],
    rule: detector.rule,
    skipEventLimit: options.skipEventLimit ?? Number.MAX_SAFE_INTEGER,
  };

  const deliver = (merge: FileMerge): void => {
    for (;;) {
      const task = merge.tasks[merge.next];
      const result = task === undefined ? undefined : merge.arrived.get(task.id);
      if (result === undefined) return;
      merge.arrived.delete(task.id);

      const file = merge.stats.file;
      for (const signIn of result.counted) {
        signIn.Source = { file, line: signIn.Source.line + merge.lineOffset, index: signIn.Source.index + merge.indexOffset };
        detector.add(signIn);
        options.onSignIn?.(signIn);
      }
      for (const skip of result.skips) {
        options.onSkip?.(skip.reason, { file, line: skip.line + merge.lineOffset, index: skip.index + merge.indexOffset }, skip.message);
      }
      mergeStats(merge.stats, result.stats, merge.next === 0, merge.lineOffset, merge.indexOffset);
      if (result.ids.length > 0) merge.ids.push({ triples: result.ids, lineOffset: merge.lineOffset, indexOffset: merge.indexOffset });
      merge.lineOffset += result.lines;
      merge.indexOffset += result.stats.records;
      merge.next++;
      if (merge.next === merge.tasks.length) options.onFileDone?.(merge.stats);
    }
  };

  // The calling thread runs tasks too, so `threads` counts it. Every lane claims the next task from a shared
  // counter, so a worker never waits for the calling thread to hand it one.
  const claims = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const workerCount = Math.max(0, Math.min(threads, tasks.length) - 1);
  const workers: Worker[] = [];
  const accept = (result: TaskResult): void => {
    const merge = fileOfTask.get(result.id)!;
    merge.arrived.set(result.id, result);
    deliver(merge);
  };

  try {
    const workersDone = new Promise<void>((resolve, reject) => {
      let running = workerCount;
      if (running === 0) resolve();
      for (let i = 0; i < workerCount; i++) {
        const lane: WorkerLane = { setup, tasks, claims };
        const worker = new Worker(new URL('./scan-worker.js', import.meta.url), { workerData: lane });
        workers.push(worker);
        worker.on('message', (message: WorkerMessage) => {
          if ('error' in message) reject(new Error(`scan worker failed: ${message.error}`));
          else if ('done' in message) {
            if (--running === 0) resolve();
          } else accept(message);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0) reject(new Error(`scan worker stopped with exit code ${code}`));
        });
      }
    });
    // A worker that fails ends the scan even while this thread is still busy with its own tasks.
    let failure: unknown = null;
    workersDone.catch((error: unknown) => {
      failure = error;
    });

    const rangeBuffers = newRangeBuffers();
    for (let index = claimTask(claims); index < tasks.length && failure === null; index = claimTask(claims)) {
      accept(await runTask(tasks[index], setup, rangeBuffers));
      // A range is read with synchronous reads, so workers' results wait for a turn of the event loop: one
      // per task merges them as they come instead of all at the end.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await workersDone;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  // Tasks finish in any order, so duplicate ids are looked for once all are in: file by file, task by task,
  // record by record, as a scan on one thread meets them.
  const ids = new DuplicateIdTracker();
  for (const merge of merges) {
    for (const task of merge.ids) {
      const triples = task.triples;
      for (let i = 0; i < triples.length; i += 3) {
        if (!ids.offerHash(triples[i])) continue;
        warnDuplicateId(merge.stats, { file: merge.stats.file, line: triples[i + 1] + task.lineOffset, index: triples[i + 2] + task.indexOffset });
      }
    }
  }
  return { files: merges.map((merge) => merge.stats), alerts: detector.finish(), ignoredMembers: [], ids, invalidRecord: null };
}
