import type { RecordSource, SignIn } from '../../src/core/signin.js';
import { DEFAULT_TIME_OPTIONS } from '../../src/core/time.js';
import { InputDecoder, type DecodeOptions, type DecodeResult } from '../../src/decoders/decode.js';
import type { SchemaName } from '../../src/decoders/layouts.js';
import type { SkipReason } from '../../src/decoders/schemas/result.js';
import { openStream } from '../../src/sources/open.js';

export interface Skip {
  readonly reason: SkipReason;
  readonly source: RecordSource;
  readonly message: string;
}

export interface Decoded {
  readonly signIns: { signIn: SignIn; schema: SchemaName; warnings: readonly string[] | undefined }[];
  readonly skips: Skip[];
  readonly result: DecodeResult;
}

/** Splits bytes into chunks of `chunkBytes`, as a file stream would deliver them. */
export async function* chunksOf(bytes: Buffer, chunkBytes = 1 << 16): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) yield bytes.subarray(offset, offset + chunkBytes);
}

/** Decodes a byte stream as the scan does (gzip and encoding detection included) and collects everything. */
export async function decodeStream(file: string, chunks: AsyncIterable<Buffer>, options: Partial<DecodeOptions> = {}): Promise<Decoded> {
  const signIns: Decoded['signIns'] = [];
  const skips: Skip[] = [];
  const decoder = new InputDecoder(
    file,
    { layout: 'auto', time: DEFAULT_TIME_OPTIONS, maxRecordBytes: 16 * 1024 * 1024, tableHint: null, ...options },
    {
      signIn: (signIn, schema, warnings) => void signIns.push({ signIn, schema, warnings }),
      skipped: (reason, source, message) => void skips.push({ reason, source, message }),
    },
  );
  const opened = await openStream(chunks[Symbol.asyncIterator]());
  const result = await decoder.decode(opened);
  return { signIns, skips, result };
}

export function decodeBytes(file: string, bytes: Buffer | string, options: Partial<DecodeOptions> = {}, chunkBytes?: number): Promise<Decoded> {
  return decodeStream(file, chunksOf(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), chunkBytes), options);
}

/** Record indexes must run 1..N without holes or repeats: every record read is either kept or skipped, once. */
export function indexesOf(decoded: Decoded): number[] {
  return [...decoded.signIns.map((item) => item.signIn.Source.index), ...decoded.skips.map((skip) => skip.source.index)].sort((a, b) => a - b);
}
