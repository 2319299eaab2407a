/**
 * Output files for the generator: buffered writes with backpressure, optional gzip, and splitting into
 * numbered parts, each a complete document (a JSON array or query-API part is closed and reopened).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { createGzip, constants as zlib, type Gzip } from 'node:zlib';

/** Text around and between the records of one file of a layout. */
export interface DocumentShape {
  readonly header: string;
  readonly separator: string;
  readonly footer: string;
}

export interface OutputFileOptions {
  readonly gzip: boolean;
  /** Uncompressed bytes after which a new file part starts; 0 never splits. */
  readonly maxBytes: number;
}

/** Pending text is handed to the stream once it reaches this size, so memory stays bounded. */
const FLUSH_CHARS = 1 << 20;

export class OutputFile {
  private stream: WriteStream | null = null;
  private gzip: Gzip | null = null;
  private pending: string[] = [];
  private pendingChars = 0;
  private partBytes = 0;
  private partRecords = 0;
  private part = 0;
  /** Every file written, in order. */
  readonly paths: string[] = [];
  bytes = 0;
  records = 0;

  constructor(
    private readonly directory: string,
    private readonly name: string,
    private readonly extension: string,
    private readonly shape: DocumentShape,
    private readonly options: OutputFileOptions,
  ) {}

  /** Adds one rendered record; call `drain()` now and then to write what has been added. */
  async add(record: string): Promise<void> {
    const size = Buffer.byteLength(record);
    if (this.stream !== null && this.options.maxBytes > 0 && this.partRecords > 0 && this.partBytes + size > this.options.maxBytes) {
      await this.closePart();
    }
    if (this.stream === null) await this.openPart();

    if (this.partRecords > 0) this.push(this.shape.separator);
    this.push(record);
    this.partBytes += size;
    this.partRecords++;
    this.records++;
    if (this.pendingChars >= FLUSH_CHARS) await this.drain();
  }

  /** Writes the pending text, waiting for the stream to accept it. */
  async drain(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    const target = this.gzip ?? this.stream!;
    if (!target.write(text)) await once(target, 'drain');
  }

  /** Closes the current part, if any; a layout with no records still gets one (empty) document. */
  async close(): Promise<void> {
    if (this.stream === null && this.paths.length === 0) await this.openPart();
    if (this.stream !== null) await this.closePart();
  }

  private push(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
  }

  private async openPart(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const partSuffix = this.options.maxBytes > 0 ? `.part${String(++this.part).padStart(4, '0')}` : '';
    const file = path.join(this.directory, `${this.name}${partSuffix}.${this.extension}${this.options.gzip ? '.gz' : ''}`);
    this.paths.push(file);
    this.stream = createWriteStream(file);
    if (this.options.gzip) {
      // Level 1: a quarter of the default level's CPU for files about 15 % larger; these files are test input.
      this.gzip = createGzip({ level: zlib.Z_BEST_SPEED });
      this.gzip.pipe(this.stream);
    }
    this.partBytes = 0;
    this.partRecords = 0;
    this.push(this.shape.header);
  }

  private async closePart(): Promise<void> {
    this.push(this.shape.footer);
    await this.drain();
    const stream = this.stream!;
    const finished = once(stream, 'close');
    if (this.gzip !== null) this.gzip.end();
    else stream.end();
    await finished;
    this.bytes += stream.bytesWritten;
    this.stream = null;
    this.gzip = null;
  }
}
