/**
 * The benchmark's floor: a Node process that only reads a file in large chunks (or, for gzip, only
 * decompresses it), counting bytes and newlines, so crackwatch can be compared with the cost of the bytes.
 *
 * Usage: node dist/bench/read-floor.js FILE [--gunzip]
 */
import { openSync, readSync, closeSync, createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

const CHUNK_BYTES = 4 << 20;

function readFile(file: string): number {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = openSync(file, 'r');
  let total = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      total += read;
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

async function gunzipFile(file: string): Promise<number> {
  let total = 0;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 1 << 20 }));
  for await (const chunk of stream) total += (chunk as Buffer).length;
  return total;
}

const [file, mode] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: read-floor FILE [--gunzip]\n');
  process.exit(2);
}
const bytes = mode === '--gunzip' ? await gunzipFile(file) : readFile(file);
process.stdout.write(`${bytes}\n`);
