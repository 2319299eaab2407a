/**
 * A floor for the benchmark: the minimum work an exact parity scan of JSON lines does in Node. It reads the
 * file as crackwatch does (2 MiB reads, two in flight) and finds the candidate lines with crackwatch's own
 * pre-filter. It parses each candidate with JSON.parse, because a candidate must be valid JSON to count, and
 * the npm simdjson binding and @streamparser/json parsed slower than JSON.parse on this kind of data. It
 * maps nothing, detects nothing and writes nothing. With `--threads 2` a worker takes the second half.
 *
 * Usage: node dist/bench/skeleton.js FILE [--threads 2]
 */
import { open } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { RecordPrefilter } from '../src/decoders/prefilter.js';

const CHUNK_BYTES = 2 << 20;
const NEWLINE = 0x0a;
const CODES = new Set(['50126', '50053', '50055', '50056']);

interface Range {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** Parses the candidate lines that start in [start, end) of the file; returns how many it parsed. */
async function scanRange({ file, start, end }: Range): Promise<number> {
  const handle = await open(file, 'r');
  const size = (await handle.stat()).size;
  const prefilter = new RecordPrefilter(CODES);
  const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
  const reads: Promise<Buffer>[] = [];
  // A range after the first starts reading one byte early: the line that starts at `start` follows a newline.
  let position = start > 0 ? start - 1 : 0;
  let turn = 0;
  const issue = (): void => {
    if (position >= size) return;
    const buffer = buffers[turn++ % buffers.length];
    const length = Math.min(CHUNK_BYTES, size - position);
    reads.push(handle.read(buffer, 0, length, position).then(({ bytesRead }) => buffer.subarray(0, bytesRead)));
    position += length;
  };
  issue();
  issue();

  let parsed = 0;
  let carry: Buffer | null = null;
  // File offset of the chunk's first byte, and whether the bytes up to the first newline belong to the range before.
  let chunkOffset = start > 0 ? start - 1 : 0;
  let skipFirst = start > 0;
  try {
    while (reads.length > 0) {
      const read = await reads.shift()!;
      const chunk: Buffer = carry === null ? read : Buffer.concat([carry, read]);
      issue();
      prefilter.scanChunk(chunk);
      let from = 0;
      for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, from)) {
        if (chunkOffset + from >= end) return parsed;
        if (skipFirst) skipFirst = false;
        else if (prefilter.mayKeep(from, newline)) {
          JSON.parse(chunk.toString('utf8', from, newline));
          parsed++;
        }
        from = newline + 1;
      }
      carry = from < chunk.length ? Buffer.from(chunk.subarray(from)) : null;
      chunkOffset += from;
    }
  } finally {
    // Reads still in flight when the range ends early must land before the handle closes.
    await Promise.allSettled(reads);
    await handle.close();
  }
  return parsed;
}

if (isMainThread) {
  const [file, flag, count] = process.argv.slice(2);
  if (file === undefined || (flag !== undefined && !(flag === '--threads' && count === '2'))) {
    process.stderr.write('usage: skeleton FILE [--threads 2]\n');
    process.exit(2);
  }
  const size = statSync(file).size;
  if (flag === undefined) {
    process.stdout.write(`${await scanRange({ file, start: 0, end: size })}\n`);
  } else {
    // Lines that start in the second half belong to the worker; the main thread reads on to the end of its last line.
    const half = Math.floor(size / 2);
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { file, start: half, end: size } satisfies Range });
    const theirs = new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const mine = await scanRange({ file, start: 0, end: half });
    process.stdout.write(`${mine + (await theirs)}\n`);
  }
} else {
  parentPort!.postMessage(await scanRange(workerData as Range));
}
