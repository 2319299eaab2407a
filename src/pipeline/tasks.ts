import { closeSync, openSync, readSync } from 'node:fs';
import type { SignIn } from '../core/signin.js';
import type { TimeParseOptions } from '../core/time.js';
import type { LayoutName } from '../decoders/layouts.js';
import type { SkipReason } from '../decoders/schemas/result.js';
import type { RuleConfig } from '../rule/config.js';
import type { FileStats } from './stats.js';

/** Settings every scan worker receives once, when it starts. */
export interface WorkerSetup {
  readonly layout: LayoutName;
  readonly time: TimeParseOptions;
  readonly maxRecordBytes: number;
  readonly tableHint: string | null;
  /** ResultType codes the pre-filter keeps, or null to parse every record. */
  readonly prefilter: ReadonlySet<string> | null;
  /** Case-folded UPNs whose successful sign-ins a task hands over beside the counted ones, or null for none. */
  readonly successUsers: readonly string[] | null;
  readonly rule: RuleConfig;
  /** Most skipped records per reason that a task reports one by one; its counts are exact regardless. */
  readonly skipEventLimit: number;
}

/** Start-up data of a scan worker: the settings, every task, and the counter that lanes claim tasks with. */
export interface WorkerLane {
  readonly setup: WorkerSetup;
  readonly tasks: readonly ScanTask[];
  /** One Int32 in shared memory: the index of the next task to claim. */
  readonly claims: Int32Array;
}

/** Claims the next task of a shared list; returns its index, which is past the end once all are claimed. */
export function claimTask(claims: Int32Array): number {
  return Atomics.add(claims, 0, 1);
}

/** A worker's message: one task's result, the end of its tasks, or the error that stopped it. */
export type WorkerMessage = TaskResult | { readonly done: true } | { readonly id: number; readonly error: string };

/**
 * One unit of work: the lines that start in bytes [start, end) of a JSON-lines file, or a whole file of
 * any layout (compressed, JSON, CSV).
 */
export type ScanTask =
  | { readonly id: number; readonly file: string; readonly kind: 'range'; readonly start: number; readonly end: number }
  | { readonly id: number; readonly file: string; readonly kind: 'whole' };

/** A skipped record, with line and index counted from the start of the task. */
export interface SkipEvent {
  readonly reason: SkipReason;
  readonly line: number;
  readonly index: number;
  readonly message: string;
}

export interface TaskResult {
  readonly id: number;
  readonly stats: FileStats;
  /**
   * The sign-ins the rule counts, and the successes of the setup's successUsers; their Source line and index
   * are counted from the start of the task.
   */
  readonly counted: SignIn[];
  readonly skips: SkipEvent[];
  /** Lines the task read (JSON-lines framing only), so that later ranges can number theirs. */
  readonly lines: number;
  /**
   * The ids of the task's sign-ins, in read order, as triples of hashId, line and index (counted from the
   * start of the task), so the merging thread can find duplicates across tasks and files as one thread would.
   */
  readonly ids: Float64Array;
}

const NEWLINE = 0x0a;
const RANGE_READ_BYTES = 1 << 20;

/** Allocates the two read buffers that `readRange` alternates between. */
export function newRangeBuffers(): [Buffer, Buffer] {
  return [Buffer.allocUnsafe(RANGE_READ_BYTES), Buffer.allocUnsafe(RANGE_READ_BYTES)];
}

/**
 * Reads the lines that start in bytes [start, end) of a file: from the first line start at or after
 * `start` to the newline that ends the line containing byte `end - 1`. Adjacent ranges thus read every line
 * exactly once.
 *
 * Chunks alternate between two buffers, so reading allocates nothing per chunk: a chunk stays valid
 * until the second `next()` after it, and decoders copy any part they keep longer (a line's carry).
 * A caller that reads one range at a time can pass the same `buffers` to every call.
 */
export async function* readRange(file: string, start: number, end: number, buffers = newRangeBuffers()): AsyncGenerator<Buffer> {
  const fd = openSync(file, 'r');
  let turn = 0;
  try {
    let position = start;
    if (start > 0) {
      // The line that contains byte start - 1 belongs to the previous range.
      position = start - 1;
      for (;;) {
        const read = readSync(fd, buffers[0], 0, RANGE_READ_BYTES, position);
        if (read === 0) return;
        const newline = buffers[0].subarray(0, read).indexOf(NEWLINE);
        if (newline !== -1) {
          position += newline + 1;
          break;
        }
        position += read;
      }
    }
    if (position >= end) return;

    for (;;) {
      const buffer = buffers[turn];
      turn ^= 1;
      const read = readSync(fd, buffer, 0, RANGE_READ_BYTES, position);
      if (read === 0) return;
      const chunk = buffer.subarray(0, read);
      if (position + read >= end) {
        const newline = chunk.indexOf(NEWLINE, Math.max(0, end - 1 - position));
        if (newline !== -1) {
          yield chunk.subarray(0, newline + 1);
          return;
        }
      }
      yield chunk;
      position += read;
    }
  } finally {
    closeSync(fd);
  }
}
