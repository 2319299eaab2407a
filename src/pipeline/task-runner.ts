/**
 * Runs one scan task: decodes a byte range of a JSON-lines file, or a whole file, and returns the task's
 * stats and only the sign-ins the rule counts, with the successes of the setup's successUsers. Scan worker
 * threads run tasks, and so does the calling thread while it waits for them; the caller merges results in
 * file order.
 */
import type { RecordSource, SignIn } from '../core/signin.js';
import { InputDecoder } from '../decoders/decode.js';
import { PREFILTER_SAMPLE_RECORDS } from '../decoders/prefilter.js';
import type { SkipReason } from '../decoders/schemas/result.js';
import { foldUpn } from '../detect/improved/attempt.js';
import { classifyRecord } from '../detect/rule-filter.js';
import { openInput } from '../sources/open.js';
import { hashId } from './quality.js';
import { newFileStats } from './stats.js';
import { statsSink } from './stats-sink.js';
import { readRange, type ScanTask, type TaskResult, type WorkerSetup } from './tasks.js';

export async function runTask(task: ScanTask, setup: WorkerSetup, rangeBuffers: [Buffer, Buffer]): Promise<TaskResult> {
  const stats = newFileStats(task.file);
  const counted: SignIn[] = [];
  const skips: TaskResult['skips'] = [];
  const skipsByReason = new Map<SkipReason, number>();
  const onSkip = (reason: SkipReason, source: RecordSource, message: string): void => {
    const reported = skipsByReason.get(reason) ?? 0;
    skipsByReason.set(reason, reported + 1);
    if (reported < setup.skipEventLimit) skips.push({ reason, line: source.line, index: source.index, message });
  };

  const ids: number[] = [];
  const successUsers = setup.successUsers === null ? null : new Set(setup.successUsers);
  const sink = statsSink(
    stats,
    (signIn) => {
      if (signIn.Id.length > 0) ids.push(hashId(signIn.Id), signIn.Source.line, signIn.Source.index);
      const outcome = classifyRecord(signIn, setup.rule);
      if (outcome === 'counted') counted.push(signIn);
      else if (successUsers !== null && outcome === 'other-result' && signIn.ResultType === '0' && successUsers.has(foldUpn(signIn.UserPrincipalName))) counted.push(signIn);
      return outcome;
    },
    onSkip,
    { ids: null, strict: false },
  );
  const decoder = new InputDecoder(
    task.file,
    {
      layout: setup.layout,
      time: setup.time,
      maxRecordBytes: setup.maxRecordBytes,
      tableHint: setup.tableHint,
      prefilter: setup.prefilter,
      // Only the first range of a file starts at its first records.
      prefilterSample: task.kind === 'range' && task.start > 0 ? 0 : PREFILTER_SAMPLE_RECORDS,
      framing: task.kind === 'range' ? 'json-lines' : undefined,
    },
    sink,
  );

  if (task.kind === 'range') {
    const result = await decoder.decode({ encoding: 'utf-8', compression: 'none', chunks: readRange(task.file, task.start, task.end, rangeBuffers) });
    stats.framing = 'json-lines';
    stats.fatal = result.fatal;
  } else {
    try {
      const opened = await openInput({ kind: 'file', path: task.file });
      stats.encoding = opened.encoding;
      stats.compression = opened.compression;
      const result = await decoder.decode(opened);
      stats.framing = result.framing;
      stats.fatal = result.fatal;
    } catch (error) {
      stats.fatal = `cannot open: ${(error as Error).message}`;
    }
  }
  return { id: task.id, stats, counted, skips, lines: decoder.lines, ids: Float64Array.from(ids) };
}
