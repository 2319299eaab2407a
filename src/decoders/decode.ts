import { parse as parseCsv } from 'csv-parse';
import type { SignIn, RecordSource } from '../core/signin.js';
import type { TimeParseOptions } from '../core/time.js';
import type { OpenedInput } from '../sources/open.js';
import { JsonStreamSplitter, type RecordContainer } from './framing/json-stream.js';
import { LineSplitter } from './framing/lines.js';
import type { Framing, LayoutName, SchemaName } from './layouts.js';
import { looksLikeDiagnosticRecord, mapDiagnosticRecord } from './schemas/diagnostic.js';
import { looksLikeLogAnalyticsRow, mapLogAnalyticsRow } from './schemas/log-analytics.js';
import { RecordPrefilter } from './prefilter.js';
import { skip, type MapResult, type SkipReason } from './schemas/result.js';

export interface DecodeOptions {
  readonly layout: LayoutName;
  readonly time: TimeParseOptions;
  /** Largest record (JSON value, line or CSV row) held in memory; larger ones are skipped and counted. */
  readonly maxRecordBytes: number;
  /** Table to assume for rows that do not say which table they come from. */
  readonly tableHint: string | null;
  /** ResultType codes to keep: records that cannot hold one are passed over unparsed. Null parses every record. */
  readonly prefilter?: ReadonlySet<string> | null;
  /** Framing to use instead of detecting it, e.g. for a byte range in the middle of a JSON-lines file. */
  readonly framing?: Framing;
}

/** Receives what a decoder reads, record by record. */
export interface DecodeSink {
  signIn(signIn: SignIn, schema: SchemaName, warnings: readonly string[] | undefined): void;
  skipped(reason: SkipReason, source: RecordSource, message: string, detail: string | undefined): void;
  /** Receives a record the pre-filter passed over: read, but not parsed, so neither mapped nor skipped. */
  passedOver(): void;
}

export interface DecodeResult {
  readonly framing: Framing;
  /** Set when the input ended in an error that stopped reading it (e.g. corrupt gzip data). */
  readonly fatal: string | null;
}

const DETECT_BYTES = 64 * 1024;

/** A file that starts with `[` or `{` is JSON; it is JSON lines when its first line is a whole JSON object. */
export function detectFraming(head: Buffer, layout: LayoutName): Framing {
  if (layout === 'log-analytics-csv') return 'csv';

  let start = 0;
  while (start < head.length && (head[start] === 0x20 || head[start] === 0x0a || head[start] === 0x0d || head[start] === 0x09)) start++;
  if (start === head.length) return 'empty';

  const first = head[start];
  if (first !== 0x7b && first !== 0x5b) return layout === 'auto' ? 'csv' : 'json';
  if (first === 0x5b) return 'json';

  const newline = head.indexOf(0x0a, start);
  if (newline === -1) return 'json';
  try {
    JSON.parse(head.toString('utf8', start, newline));
    return 'json-lines';
  } catch {
    return 'json';
  }
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
  /** Lines read so far by the JSON-lines framing, blank ones included (0 for other framings). */
  lines = 0;

  constructor(
    private readonly file: string,
    private readonly options: DecodeOptions,
    private readonly sink: DecodeSink,
  ) {}

  async decode(input: OpenedInput): Promise<DecodeResult> {
    const iterator = input.chunks[Symbol.asyncIterator]();
    let head: Buffer;
    const first: Buffer[] = [];
    let total = 0;
    let done = false;
    try {
      while (total < DETECT_BYTES) {
        const next = await iterator.next();
        if (next.done === true) {
          done = true;
          break;
        }
        first.push(next.value);
        total += next.value.length;
      }
    } catch (error) {
      return { framing: 'empty', fatal: `cannot read input: ${(error as Error).message}` };
    }
    // One chunk is used as it is: copying it would cost a fresh buffer per input.
    head = first.length === 1 ? first[0] : Buffer.concat(first);

    const framing = this.options.framing ?? detectFraming(head, this.options.layout);
    if (framing === 'empty') return { framing, fatal: null };

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
      return { framing, fatal: `reading stopped: ${(error as Error).message}` };
    }
    return { framing, fatal: null };
  }

  private nextSource(line: number): RecordSource {
    return { file: this.file, line, index: ++this.index };
  }

  private async decodeLines(chunks: AsyncIterable<Buffer>): Promise<void> {
    const splitter = new LineSplitter(
      {
        line: (text, lineNumber) => {
          if (text.trim().length === 0) return;
          this.parsed(text, lineNumber, { kind: 'top-level' });
        },
        tooLarge: (bytes, lineNumber) => this.tooLarge(bytes, lineNumber),
        passedOver: () => this.passedOver(),
      },
      this.options.maxRecordBytes,
      this.options.prefilter ? new RecordPrefilter(this.options.prefilter) : null,
    );
    for await (const chunk of chunks) splitter.push(chunk);
    splitter.end();
    this.lines = splitter.lines;
  }

  private async decodeJson(chunks: AsyncIterable<Buffer>): Promise<void> {
    const splitter = new JsonStreamSplitter(
      {
        record: (text, line, container) => this.parsed(text, line, container),
        invalid: (message, line) => this.sink.skipped('invalid-json', this.nextSource(line), message, undefined),
        tooLarge: (bytes, line) => this.tooLarge(bytes, line),
        passedOver: () => this.passedOver(),
      },
      this.options.maxRecordBytes,
      this.options.prefilter ? new RecordPrefilter(this.options.prefilter) : null,
    );
    for await (const chunk of chunks) splitter.push(chunk);
    splitter.end();
  }

  private passedOver(): void {
    this.index++;
    this.sink.passedOver();
  }

  private tooLarge(bytes: number, line: number): void {
    this.sink.skipped(
      'record-too-large',
      this.nextSource(line),
      `record of ${bytes} bytes is larger than the limit of ${this.options.maxRecordBytes} bytes; raise --max-record-size to read it`,
      undefined,
    );
  }

  /** Parses one record's JSON text and maps it; an envelope found in its place is expanded. */
  private parsed(text: string, line: number, container: RecordContainer): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.sink.skipped('invalid-json', this.nextSource(line), `invalid JSON: ${(error as Error).message}`, undefined);
      return;
    }

    if (container.kind === 'rows') {
      this.row(value, container.columns, line);
      return;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const records = envelopeRecords(value as Record<string, unknown>);
      if (records !== null) {
        for (const record of records) this.mapped(record, line);
        return;
      }
    }
    this.mapped(value, line);
  }

  /** Zips a query-API row with its table's columns into a row object. */
  private row(value: unknown, columns: unknown, line: number): void {
    if (!Array.isArray(value) || !Array.isArray(columns)) {
      this.sink.skipped('not-a-record', this.nextSource(line), 'query API row is not an array matching "columns"', undefined);
      return;
    }
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as { name?: unknown };
      if (typeof column?.name === 'string') row[column.name] = value[i];
    }
    this.mapped(row, line, 'log-analytics');
  }

  private mapped(value: unknown, line: number, schemaHint?: SchemaName): void {
    const source = this.nextSource(line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.sink.skipped('not-a-record', source, `expected a JSON object but found ${Array.isArray(value) ? 'an array' : typeof value}`, undefined);
      return;
    }

    const record = value as Record<string, unknown>;
    const schema = schemaHint ?? this.schemaOf(record);
    if (schema === null) {
      this.sink.skipped(
        'unrecognized-layout',
        source,
        'record has neither Log Analytics columns (TimeGenerated, UserPrincipalName) nor a diagnostic-settings envelope (time, category, properties); pass --format to force a layout',
        undefined,
      );
      return;
    }

    const result =
      schema === 'diagnostic'
        ? mapDiagnosticRecord(record, source, this.options.time)
        : mapLogAnalyticsRow(record, source, { time: this.options.time, tableHint: this.options.tableHint });
    this.deliver(result, source, schema);
  }

  private deliver(result: MapResult, source: RecordSource, schema: SchemaName): void {
    if (result.ok) this.sink.signIn(result.signIn, schema, result.warnings);
    else this.sink.skipped(result.reason, source, result.message, result.detail);
  }

  private schemaOf(record: Record<string, unknown>): SchemaName | null {
    switch (this.options.layout) {
      case 'log-analytics':
      case 'log-analytics-csv':
        return 'log-analytics';
      case 'diagnostic':
        return 'diagnostic';
      case 'auto':
        if (looksLikeDiagnosticRecord(record)) return 'diagnostic';
        if (looksLikeLogAnalyticsRow(record)) return 'log-analytics';
        return null;
    }
  }

  private async decodeCsv(chunks: AsyncIterable<Buffer>): Promise<void> {
    const parser = parseCsv({
      bom: true,
      columns: normalizeCsvHeader,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      info: true,
      max_record_size: this.options.maxRecordBytes,
    });

    parser.on('skip', (error: Error & { lines?: number }) => {
      this.sink.skipped('invalid-csv', this.nextSource(error.lines ?? 0), `invalid CSV: ${error.message}`, undefined);
    });

    const feed = (async () => {
      for await (const chunk of chunks) {
        if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
      }
      parser.end();
    })();

    let previousLines = 1;
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const startLine = previousLines + 1;
      previousLines = item.info.lines;
      this.mapCsvRow(item.record, startLine);
    }
    await feed;
  }

  private mapCsvRow(row: Record<string, string>, line: number): void {
    const source = this.nextSource(line);
    const schema = this.options.layout === 'diagnostic' ? null : 'log-analytics';
    if (schema === null || !looksLikeLogAnalyticsRow(row)) {
      this.deliver(
        skip('unrecognized-layout', 'CSV row has no TimeGenerated (or CreatedDateTime) and UserPrincipalName columns; pass --format to force a layout'),
        source,
        'log-analytics',
      );
      return;
    }
    this.deliver(mapLogAnalyticsRow(row, source, { time: this.options.time, tableHint: this.options.tableHint }), source, 'log-analytics');
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
