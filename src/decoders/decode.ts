import type { SignIn, RecordSource } from '../core/signin.js';
import type { TimeParseOptions } from '../core/time.js';
import type { OpenedInput } from '../sources/open.js';
import { tableFromFileName } from './file-table.js';
import { JsonStreamSplitter, type RecordContainer } from './framing/json-stream.js';
import { LineSplitter } from './framing/lines.js';
import type { Framing, LayoutName, SchemaName } from './layouts.js';
import { detectSchema, schemaNamed, type RecordSchema } from './schemas/registry.js';
import { relayedRecordText } from './schemas/relay.js';
import { skip, type MapContext, type MapResult, type SkipReason } from './schemas/result.js';
import { exceedsDepth } from './schemas/values.js';
import { isWhitespace, RecordPrefilter } from './prefilter.js';

export interface DecodeOptions {
  readonly layout: LayoutName;
  readonly time: TimeParseOptions;
  /** Largest record (JSON value, line or CSV row) held in memory; larger ones are skipped and counted. */
  readonly maxRecordBytes: number;
  /** Table to assume for rows that do not say which table they come from; null takes it from the file name. */
  readonly tableHint: string | null;
  /** ResultType codes to keep: records that cannot hold one are passed over unparsed. Null parses every record. */
  readonly prefilter?: ReadonlySet<string> | null;
  /** First records the pre-filter keeps whatever they contain, so the scan can tell whether the input contains sign-ins (default 0). */
  readonly prefilterSample?: number;
  /** Framing to use instead of detecting it, e.g. for a byte range in the middle of a JSON-lines file. */
  readonly framing?: Framing;
}

/** Thrown by a sink to stop reading (e.g. at the first invalid record under --strict); decode() rethrows it. */
export class DecodeAborted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeAborted';
  }
}

/** Data-quality warning for a record whose bytes were not valid UTF-8; the bad bytes read as U+FFFD. */
export const INVALID_UTF8_WARNING = 'invalid-utf8';

/** Deepest nesting kept in a record's location, device and status objects; sign-ins nest a few levels. */
const MAX_NESTED_DEPTH = 32;

/** How many JSON-text wrappers (relay `message` fields) are opened around one record. */
const MAX_RELAY_DEPTH = 2;

/** Receives what a decoder reads, record by record. */
export interface DecodeSink {
  signIn(signIn: SignIn, schema: SchemaName, warnings: readonly string[] | undefined): void;
  skipped(reason: SkipReason, source: RecordSource, message: string, detail: string | undefined): void;
  /** Receives a record the pre-filter passed over: read, but not parsed, so neither mapped nor skipped. */
  passedOver?(): void;
}

export interface DecodeResult {
  readonly framing: Framing;
  /** Set when the input ended in an error that stopped reading it (e.g. corrupt gzip data). */
  readonly fatal: string | null;
}

const DETECT_BYTES = 64 * 1024;

/**
 * Most blank space held before the first record. Blank lines are read and numbered like any other, so the
 * bytes before the first record are held until the framing is known.
 */
const MAX_LEADING_BLANK_BYTES = 64 << 20;

/** Returns the offset of the first byte that is not JSON blank space (space, tab, CR, LF), or -1. */
function firstNonBlank(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) {
    if (!isWhitespace(bytes[i])) return i;
  }
  return -1;
}

/** Lines of the head sampled to tell JSON lines from other text. */
const DETECT_LINES = 50;

/** Tells whether a line is one whole JSON object, the mark of JSON lines. */
function isJsonObjectLine(line: string): boolean {
  const text = line.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Detects how records are laid out from the head of the input. A file is JSON lines when a line of its head
 * is a whole JSON object, even if its first line is damaged (a file cut by bytes, a stray header), so one bad
 * line costs one record. Otherwise a file that starts with `[` or `{` is JSON, and anything else CSV.
 */
export function detectFraming(head: Buffer, layout: LayoutName): Framing {
  if (layout === 'log-analytics-csv') return 'csv';
  const jsonOnly = layout === 'diagnostic' || layout === 'graph';

  let start = 0;
  while (start < head.length && (head[start] === 0x20 || head[start] === 0x0a || head[start] === 0x0d || head[start] === 0x09)) start++;
  if (start === head.length) return 'empty';

  const first = head[start];
  if (first === 0x5b) return 'json';

  // Only whole lines are sampled: the text after the last newline may be cut off. A single line is read as
  // JSON, because the stream splitter also opens the envelopes (records, value, tables) a single line may be.
  const lines = head.toString('utf8', start).split('\n');
  lines.pop();
  if (lines.slice(0, DETECT_LINES).some(isJsonObjectLine)) return 'json-lines';

  if (first === 0x7b) return 'json';
  return jsonOnly ? 'json' : 'csv';
}

/** Expands an envelope ({"records":[...]}, {"value":[...]}) found as a record; returns null for a plain record. */
function envelopeRecords(value: Record<string, unknown>): unknown[] | null {
  if (Array.isArray(value.records) && !('category' in value)) return value.records;
  if (Array.isArray(value.value) && !('userPrincipalName' in value) && !('UserPrincipalName' in value)) return value.value;
  return null;
}

/** Reads one input's records and sends each, mapped or skipped, to the sink. */
export class InputDecoder {
  private index = 0;
  private readonly context: MapContext;
  private readonly forced: RecordSchema | null;
  /** Lines read so far by the JSON-lines framing, blank ones included (0 for other framings). */
  lines = 0;

  constructor(
    private readonly file: string,
    private readonly options: DecodeOptions,
    private readonly sink: DecodeSink,
  ) {
    this.context = { time: options.time, tableHint: options.tableHint ?? tableFromFileName(file) };
    const layout = options.layout;
    this.forced = layout === 'auto' ? null : schemaNamed(layout === 'log-analytics-csv' ? 'log-analytics' : layout);
  }

  async decode(input: OpenedInput): Promise<DecodeResult> {
    const iterator = input.chunks[Symbol.asyncIterator]();
    try {
      return await this.decodeChunks(input, iterator);
    } finally {
      // Reading can stop before the input ends (--strict, a read error). Closing the input then releases its
      // file handle and stops its gzip worker, which would otherwise keep the process from exiting.
      await iterator.return?.();
    }
  }

  private async decodeChunks(input: OpenedInput, iterator: AsyncIterator<Buffer>): Promise<DecodeResult> {
    let head: Buffer;
    const first: Buffer[] = [];
    let total = 0;
    let done = false;
    // Offset of the first byte that is not blank space: the framing is detected from the bytes after it.
    let contentStart = -1;
    try {
      while (contentStart === -1 || total - contentStart < DETECT_BYTES) {
        const next = await iterator.next();
        if (next.done === true) {
          done = true;
          break;
        }
        const chunk = next.value;
        if (contentStart === -1) {
          const at = firstNonBlank(chunk);
          if (at !== -1) contentStart = total + at;
        }
        first.push(chunk);
        total += chunk.length;
        // Measured in bytes, not chunks, so that a file and standard input (smaller chunks) agree.
        if ((contentStart === -1 ? total : contentStart) > MAX_LEADING_BLANK_BYTES) {
          return { framing: 'empty', fatal: `the input starts with more than ${MAX_LEADING_BLANK_BYTES} bytes of blank space; remove it and scan again` };
        }
      }
    } catch (error) {
      return { framing: 'empty', fatal: `cannot read input: ${(error as Error).message}` };
    }
    // One chunk is used as it is: copying it would cost a fresh buffer per input.
    head = first.length === 1 ? first[0] : Buffer.concat(first);

    const framing = this.options.framing ?? detectFraming(head, this.options.layout);
    if (framing === 'empty') return { framing, fatal: input.damage?.() ?? null };
    // The JSON framings copy the bytes they keep past a chunk; the CSV decoder keeps chunks to reread a row.
    if (framing !== 'csv') input.recycle?.();

    const rest = (async function* () {
      yield head;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return;
        yield next.value;
      }
    })();

    try {
      if (framing === 'csv') await this.decodeCsv(rest);
      else if (framing === 'json-lines') await this.decodeLines(rest);
      else await this.decodeJson(rest);
    } catch (error) {
      if (error instanceof DecodeAborted) throw error;
      return { framing, fatal: `reading stopped: ${(error as Error).message}` };
    }
    return { framing, fatal: input.damage?.() ?? null };
  }

  private nextSource(line: number): RecordSource {
    return { file: this.file, line, index: ++this.index };
  }

  private async decodeLines(chunks: AsyncIterable<Buffer>): Promise<void> {
    const splitter = new LineSplitter(
      {
        line: (text, lineNumber, validUtf8) => {
          if (text.trim().length === 0) return;
          this.parsed(text, lineNumber, { kind: 'top-level' }, validUtf8);
        },
        tooLarge: (bytes, lineNumber) => this.tooLarge(bytes, lineNumber),
        passedOver: () => this.passedOver(),
      },
      this.options.maxRecordBytes,
      this.options.prefilter ? new RecordPrefilter(this.options.prefilter, this.options.prefilterSample ?? 0) : null,
    );
    for await (const chunk of chunks) splitter.push(chunk);
    splitter.end();
    this.lines = splitter.lines;
  }

  private async decodeJson(chunks: AsyncIterable<Buffer>): Promise<void> {
    const splitter = new JsonStreamSplitter(
      {
        record: (text, line, container, validUtf8) => this.parsed(text, line, container, validUtf8),
        invalid: (message, line) => this.sink.skipped('invalid-json', this.nextSource(line), message, undefined),
        tooLarge: (bytes, line) => this.tooLarge(bytes, line),
        passedOver: () => this.passedOver(),
      },
      this.options.maxRecordBytes,
      this.options.prefilter ? new RecordPrefilter(this.options.prefilter, this.options.prefilterSample ?? 0) : null,
    );
    for await (const chunk of chunks) splitter.push(chunk);
    splitter.end();
  }

  private passedOver(): void {
    this.index++;
    this.sink.passedOver?.();
  }

  private tooLarge(bytes: number, line: number): void {
    this.sink.skipped(
      'record-too-large',
      this.nextSource(line),
      `record of ${bytes} bytes is larger than the limit of ${this.options.maxRecordBytes} bytes; raise --max-record-size to read it`,
      undefined,
    );
  }

  /** Parses one record's JSON text and maps it; an envelope found in its place is expanded. Returns false for invalid JSON. */
  private parsed(text: string, line: number, container: RecordContainer, validUtf8: boolean): boolean {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.sink.skipped('invalid-json', this.nextSource(line), `invalid JSON: ${(error as Error).message}`, undefined);
      return false;
    }

    if (container.kind === 'rows') {
      this.row(value, container.columns, line, validUtf8);
      return true;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const records = envelopeRecords(value as Record<string, unknown>);
      if (records !== null) {
        for (const record of records) this.mapped(record, line, validUtf8);
        return true;
      }
    }
    this.mapped(value, line, validUtf8);
    return true;
  }

  /** Zips a query-API row with its table's columns into a row object. */
  private row(value: unknown, columns: unknown, line: number, validUtf8: boolean): void {
    if (!Array.isArray(value) || !Array.isArray(columns)) {
      this.sink.skipped('not-a-record', this.nextSource(line), 'query API row is not an array matching "columns"', undefined);
      return;
    }
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as { name?: unknown };
      if (typeof column?.name === 'string') row[column.name] = value[i];
    }
    this.mapped(row, line, validUtf8, schemaNamed('log-analytics'));
  }

  private mapped(value: unknown, line: number, validUtf8: boolean, schemaHint?: RecordSchema): void {
    const source = this.nextSource(line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.sink.skipped('not-a-record', source, `expected a JSON object but found ${Array.isArray(value) ? 'an array' : typeof value}`, undefined);
      return;
    }

    let record = value as Record<string, unknown>;
    let schema = schemaHint ?? this.forced ?? detectSchema(record);
    for (let relays = 0; schema === null && relays < MAX_RELAY_DEPTH; relays++) {
      const carried = relayedRecordText(record);
      if (carried === null) break;
      let inner: unknown;
      try {
        inner = JSON.parse(carried);
      } catch (error) {
        this.sink.skipped('invalid-json', source, `invalid JSON in the record carried by "message": ${(error as Error).message}`, undefined);
        return;
      }
      if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) break;
      record = inner as Record<string, unknown>;
      schema = detectSchema(record);
    }
    if (schema === null) {
      this.sink.skipped(
        'unrecognized-layout',
        source,
        'record matches no sign-in layout (Log Analytics row, diagnostic-settings record, Graph signIn, PowerShell SDK sign-in, admin-center download); pass --format to force one',
        undefined,
      );
      return;
    }
    this.deliver(this.mapSafely(schema, record, source), source, schema.name, validUtf8);
  }

  /** Maps a record, turning nesting too deep to handle into a skip instead of a stack overflow later on. */
  private mapSafely(schema: RecordSchema, record: Record<string, unknown>, source: RecordSource): MapResult {
    let result: MapResult;
    try {
      result = schema.map(record, source, this.context);
    } catch (error) {
      if (error instanceof RangeError) return skip('too-deep', `a field is nested too deeply to read: ${error.message}`);
      throw error;
    }
    if (!result.ok) return result;

    const signIn = result.signIn;
    if (exceedsDepth(signIn.LocationDetails, MAX_NESTED_DEPTH) || exceedsDepth(signIn.DeviceDetail, MAX_NESTED_DEPTH) || exceedsDepth(signIn.Status, MAX_NESTED_DEPTH)) {
      return skip('too-deep', `location, device or status is nested more than ${MAX_NESTED_DEPTH} levels deep`);
    }
    return result;
  }

  private deliver(result: MapResult, source: RecordSource, schema: SchemaName, validUtf8: boolean): void {
    if (!result.ok) {
      this.sink.skipped(result.reason, source, result.message, result.detail);
      return;
    }
    const warnings = validUtf8 ? result.warnings : [...(result.warnings ?? []), INVALID_UTF8_WARNING];
    this.sink.signIn(result.signIn, schema, warnings);
  }

  private async decodeCsv(chunks: AsyncIterable<Buffer>): Promise<void> {
    const source = chunks[Symbol.asyncIterator]();
    let run: CsvRun | null = { columns: null, lineBase: 0, replay: [] };
    while (run !== null) run = await this.decodeCsvRun(source, run);
  }

  /**
   * Parses CSV rows until the input ends or csv-parse reports an invalid row, such as a quote that is never
   * closed, which makes csv-parse read on to the end of the input or to the size limit. The invalid row is
   * then skipped (see resumeCsv), and the returned run continues after it.
   */
  private async decodeCsvRun(source: AsyncIterator<Buffer>, run: CsvRun): Promise<CsvRun | null> {
    let columns = run.columns;
    let headerEnd = 0;
    let headerLines = columns === null ? 1 : 0;
    // Loaded on first use: JSON inputs, the large ones, never need the CSV parser.
    const { parse: parseCsv } = await import('csv-parse');
    const parser = parseCsv({
      bom: true,
      columns:
        columns ??
        ((header: string[]) => {
          columns = normalizeCsvHeader(header);
          headerEnd = parser.info.bytes;
          headerLines = parser.info.lines;
          return columns;
        }),
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      info: true,
      max_record_size: this.options.maxRecordBytes,
    });

    // Rows are mapped after csv-parse has read ahead, so a skip can arrive before the rows that precede it.
    // csv-parse's own recovery from an invalid row can swallow the rows after it (up to the end of the input
    // for a quote that is never closed), so the first error ends this run and resumeCsv takes over.
    let broken: CsvBreak | null = null;
    parser.on('skip', (error: Error & { code?: string; lines?: number }) => {
      if (broken !== null) return;
      // csv-parse quotes the whole bad field in its message; a field can be megabytes of binary.
      let message = error.message.replace(/\bat line (\d+)/g, (_, line: string) => `at line ${run.lineBase + Number(line)}`);
      if (message.length > 200) message = `${message.slice(0, 197)}...`;
      if (columns !== null) {
        broken = { code: error.code ?? '', message, rowsBefore: parser.info.records };
        return;
      }
      this.sink.skipped('invalid-csv', this.nextSource(run.lineBase + (error.lines ?? 0)), `invalid CSV: ${message}`, undefined);
    });

    // The bytes since the end of the last mapped row, which a broken row is read again from.
    const retained = new RetainedBytes();
    const feed = (async () => {
      const write = async (chunk: Buffer): Promise<void> => {
        retained.push(chunk);
        if (parser.write(chunk)) return;
        // Both listeners go once either fires: a long file waits for 'drain' thousands of times.
        await new Promise<void>((resolve) => {
          const done = (): void => {
            parser.off('drain', done);
            parser.off('close', done);
            resolve();
          };
          parser.once('drain', done);
          parser.once('close', done);
        });
      };
      for (const chunk of run.replay) await write(chunk);
      while (broken === null && !parser.destroyed) {
        const next = await source.next();
        if (next.done === true) break;
        await write(next.value);
      }
      parser.end();
    })();

    let previousLines = headerLines;
    let rows = 0;
    let rowsEnd = -1;
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; bytes: number } }>) {
      const stop = broken as CsvBreak | null;
      if (stop !== null && rows >= stop.rowsBefore) continue;
      rows++;
      const startLine = previousLines + 1;
      previousLines = item.info.lines;
      rowsEnd = item.info.bytes;
      retained.dropBefore(rowsEnd);
      this.mapCsvRow(item.record, run.lineBase + startLine);
    }
    await feed;

    const stop = broken as CsvBreak | null;
    if (stop === null || columns === null) return null;
    const brokenLine = run.lineBase + previousLines + 1;
    return this.resumeCsv(source, retained.from(rowsEnd === -1 ? headerEnd : rowsEnd), columns, brokenLine, stop);
  }

  /**
   * Skips a broken CSV row, counted once, and finds where the next intact row starts: the first following
   * line that parses on its own as a row with as many fields as the header. Returns the run that reads on
   * from there, or null when no such row follows.
   */
  private async resumeCsv(source: AsyncIterator<Buffer>, bytes: Buffer, columns: string[], brokenLine: number, error: CsvBreak): Promise<CsvRun | null> {
    const { findRowStart } = await import('./framing/csv-resync.js');
    const limit = this.options.maxRecordBytes;
    let window = bytes;
    let final = false;
    // The search starts on the line after the broken row's first line, which may end in a later chunk.
    while (window.indexOf(0x0a) === -1 && !final) {
      const next = await source.next();
      if (next.done === true) final = true;
      else window = Buffer.concat([window, next.value]);
    }
    const firstNewline = window.indexOf(0x0a);
    let offset = firstNewline === -1 ? window.length : firstNewline + 1;
    let line = brokenLine + 1;
    // NOTE: lines passed over are not counted as records, so a second damaged row inside them is counted with the first.
    let search = findRowStart(window, offset, columns.length, limit, final);
    while (search.kind === 'more') {
      line += search.lines;
      const next = await source.next();
      if (next.done === true) final = true;
      // Bytes before the candidate row are never needed again.
      window = next.done === true ? window.subarray(search.offset) : Buffer.concat([window.subarray(search.offset), next.value]);
      offset = 0;
      search = findRowStart(window, offset, columns.length, limit, final);
    }
    line += search.lines;

    const resume = search.kind === 'found' ? `reading resumes at line ${line}` : 'no intact row follows it';
    const rowSource = this.nextSource(brokenLine);
    if (error.code === 'CSV_MAX_RECORD_SIZE') {
      this.sink.skipped(
        'record-too-large',
        rowSource,
        `CSV row starting on line ${brokenLine} is larger than the limit of ${limit} bytes, or opens a quote that is never closed; it is skipped and ${resume}. Raise --max-record-size if the row is genuine`,
        undefined,
      );
    } else if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      this.sink.skipped('invalid-csv', rowSource, `invalid CSV: the row starting on line ${brokenLine} opens a quote that is never closed; it is skipped and ${resume}`, undefined);
    } else {
      this.sink.skipped('invalid-csv', rowSource, `invalid CSV: the row starting on line ${brokenLine} is skipped (${error.message}) and ${resume}`, undefined);
    }
    if (search.kind === 'none') return null;
    return { columns, lineBase: line - 1, replay: [window.subarray(search.offset)] };
  }

  private mapCsvRow(row: Record<string, string>, line: number): void {
    const source = this.nextSource(line);
    const schema = this.forced ?? detectSchema(row);
    if (schema === null) {
      this.sink.skipped(
        'unrecognized-layout',
        source,
        'CSV row has neither Log Analytics columns (TimeGenerated or CreatedDateTime, UserPrincipalName) nor the admin-center download\'s (Date (UTC), Username); pass --format to force a layout',
        undefined,
      );
      return;
    }
    // NOTE: csv-parse has already replaced invalid UTF-8 with U+FFFD, so a genuine U+FFFD in a cell is counted too.
    let validUtf8 = true;
    for (const key in row) {
      if (row[key].includes('\uFFFD')) {
        validUtf8 = false;
        break;
      }
    }
    this.deliver(this.mapSafely(schema, row, source), source, schema.name, validUtf8);
  }
}

/** Starting point of a CSV parser: the header's column names once read, the line before its first byte, and bytes to read before the rest. */
interface CsvRun {
  readonly columns: string[] | null;
  readonly lineBase: number;
  readonly replay: readonly Buffer[];
}

/** The first error of a CSV parser: csv-parse's code and message, and how many rows it parsed before. */
interface CsvBreak {
  readonly code: string;
  readonly message: string;
  readonly rowsBefore: number;
}

/** Bytes fed to a CSV parser, from a byte offset on, kept so that a broken row can be read again. */
class RetainedBytes {
  private chunks: Buffer[] = [];
  /** Offset of the first kept byte among all bytes pushed. */
  private start = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  /** Releases the chunks that end at or before `offset`. */
  dropBefore(offset: number): void {
    while (this.chunks.length > 0 && this.start + this.chunks[0].length <= offset) {
      this.start += this.chunks[0].length;
      this.chunks.shift();
    }
  }

  /** Returns the kept bytes from `offset` on. */
  from(offset: number): Buffer {
    this.dropBefore(offset);
    const bytes = Buffer.concat(this.chunks);
    return bytes.subarray(Math.max(0, offset - this.start));
  }
}

/**
 * Turns CSV headers into column names: trims stray spaces, drops the " [UTC]" suffix that the portal adds to
 * datetime columns, and numbers duplicates ("Name", "Name#2") so that no column overwrites another.
 */
export function normalizeCsvHeader(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw) => {
    const name = raw.trim().replace(/\s*\[UTC\]$/i, '');
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}#${count}`;
  });
}
