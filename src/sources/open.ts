import { statSync } from 'node:fs';
import { FileReader } from './file-reader.js';
import { GzipReader } from './gzip.js';
import { GzipThread } from './gzip-thread.js';
import type { Input } from './inputs.js';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

/** A stream of UTF-8 bytes, whatever the input's encoding and compression were. */
export interface OpenedInput {
  readonly encoding: TextEncoding;
  readonly compression: 'none' | 'gzip';
  readonly chunks: AsyncIterable<Buffer>;
  /** Damage that ended `chunks` early (a truncated gzip file, bytes appended to one), once they are read; null when none. */
  readonly damage?: () => string | null;
  /**
   * Lets `chunks` reuse a chunk's memory once the consumer has asked for two more chunks, so that reading
   * allocates nothing per chunk. Only a consumer that copies what it keeps longer may call it.
   */
  readonly recycle?: () => void;
}

/**
 * Bytes per read. With the SIMD pre-filter the decoder caught up with 1 MiB reads, even read ahead. On the
 * 717 MB bench file 2 MiB reads took 0.38-0.39 s where 1 MiB reads took 0.40-0.42 s.
 */
const READ_CHUNK_BYTES = 2 << 20;

/** Gzip files from this size on are gunzipped on a worker thread; for smaller ones starting it costs more. */
const GZIP_THREAD_MIN_BYTES = 4 << 20;

/** Tells whether a path is a regular file of at least `bytes` bytes, which a worker can open again. */
function isFileOfAtLeast(path: string, bytes: number): boolean {
  try {
    const info = statSync(path);
    return info.isFile() && info.size >= bytes;
  } catch {
    return false;
  }
}


/** Reads from a stream with the first chunk already taken off it. */
async function* prepend(first: Buffer | null, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (first !== null && first.length > 0) yield first;
    for (;;) {
      const next = await rest.next();
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    // A consumer that stops early closes the stream below too: its file handle, or its gzip worker.
    await rest.return?.();
  }
}

/** Collects at least `minimum` bytes (or all there are) from the front of a stream. */
async function peek(iterator: AsyncIterator<Buffer>, minimum: number): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let total = 0;
  while (total < minimum) {
    const next = await iterator.next();
    if (next.done === true) break;
    parts.push(next.value);
    total += next.value.length;
  }
  return parts.length === 0 ? null : Buffer.concat(parts);
}

function detectEncoding(head: Buffer | null): TextEncoding {
  if (head === null) return 'utf-8';
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';

  // UTF-16 without a BOM: ASCII text shows a zero in every other byte.
  if (head.length >= 4) {
    const sample = Math.min(head.length & ~1, 512);
    let evenZeros = 0;
    let oddZeros = 0;
    for (let i = 0; i < sample; i += 2) {
      if (head[i] === 0) evenZeros++;
      if (head[i + 1] === 0) oddZeros++;
    }
    const pairs = sample / 2;
    if (evenZeros > pairs * 0.4 && oddZeros === 0) return 'utf-16be';
    if (oddZeros > pairs * 0.4 && evenZeros === 0) return 'utf-16le';
  }
  return 'utf-8';
}

async function* transcode(chunks: AsyncIterable<Buffer>, encoding: TextEncoding): AsyncGenerator<Buffer> {
  if (encoding === 'utf-8') {
    yield* chunks;
    return;
  }

  if (encoding === 'utf-8-bom') {
    let first = true;
    for await (const chunk of chunks) {
      yield first ? chunk.subarray(3) : chunk;
      first = false;
    }
    return;
  }

  // TextDecoder drops the BOM and carries a code unit split across chunks over to the next one.
  const decoder = new TextDecoder(encoding === 'utf-16le' ? 'utf-16le' : 'utf-16be');
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield Buffer.from(tail, 'utf8');
}

/**
 * Opens an input as UTF-8 bytes: gunzips a gzip stream (found by its magic bytes, whatever the file is
 * called), detects UTF-8 (with or without BOM) and UTF-16 (with BOM, or by its zero bytes), and converts.
 */
export async function openInput(input: Input): Promise<OpenedInput> {
  if (input.kind === 'stdin') return openStream(process.stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  const reader = new FileReader(input.path, READ_CHUNK_BYTES);
  return openStream(reader[Symbol.asyncIterator](), reader, input.path);
}

/**
 * Opens any byte stream (a file, standard input, an archive member) as UTF-8 bytes; see openInput. A
 * `reader` that can recycle its buffers recycles them once the consumer of its raw chunks is known to copy.
 * The `path` of a regular file lets a large gzip file be gunzipped on a worker thread.
 */
export async function openStream(rawIterator: AsyncIterator<Buffer>, reader?: FileReader, path?: string): Promise<OpenedInput> {
  const rawHead = await peek(rawIterator, 4);
  // A zip archive needs random access to its central directory, which only a file on disk gives.
  if (rawHead !== null && rawHead.length >= 4 && rawHead[0] === 0x50 && rawHead[1] === 0x4b && rawHead[2] === 0x03 && rawHead[3] === 0x04) {
    throw new Error('zip archive can only be read from a file on disk, not from standard input or inside another archive; save or extract it and pass its path');
  }

  let compression: 'none' | 'gzip' = 'none';
  let iterator: AsyncIterator<Buffer> = prepend(rawHead, rawIterator);
  let damage = (): string | null => null;
  // What the consumer's recycle() lets reuse its memory: the file reader's buffers, or the gzip thread's batches.
  let recyclable: { recycle(): void } | undefined = reader;
  if (rawHead !== null && rawHead[0] === 0x1f && rawHead[1] === 0x8b) {
    compression = 'gzip';
    if (path !== undefined && isFileOfAtLeast(path, GZIP_THREAD_MIN_BYTES)) {
      await rawIterator.return?.();
      const thread = new GzipThread(path);
      iterator = thread.read();
      damage = () => thread.damage;
      recyclable = thread;
    } else {
      // The gzip reader keeps one compressed chunk at a time and inflates into fresh buffers.
      reader?.recycle();
      const gunzip = new GzipReader(prepend(rawHead, rawIterator), READ_CHUNK_BYTES);
      iterator = gunzip.read();
      damage = () => gunzip.damage;
      recyclable = undefined;
    }
  }

  const head = await peek(iterator, 4096);
  const encoding = detectEncoding(head);
  const passThrough = encoding === 'utf-8' || encoding === 'utf-8-bom';
  // UTF-16 is decoded into fresh buffers as soon as it is read.
  if (!passThrough) recyclable?.recycle();
  const recycle = passThrough && recyclable !== undefined ? () => recyclable.recycle() : undefined;
  return { encoding, compression, chunks: transcode(prepend(head, iterator), encoding), damage, recycle };
}
