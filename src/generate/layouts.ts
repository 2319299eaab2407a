/**
 * The output layouts `crackwatch generate` writes, one set of files per layout, each readable by
 * `crackwatch scan`: Log Analytics rows (JSON lines, JSON array, query-API response, portal CSV), and
 * diagnostic-settings records (storage PT1H.json lines, Event Hubs batches).
 */
import type { SignInEvent, TableName } from './model.js';
import { OutputFile, type OutputFileOptions } from './output.js';
import { columnsOf, DATETIME_COLUMNS, diagnosticRecord, logAnalyticsRow, portalTime } from './records.js';
import type { Tenant } from './tenant.js';

export const OUTPUT_LAYOUTS = ['la-jsonl', 'la-json', 'la-query', 'la-csv', 'diagnostic', 'event-hubs'] as const;
export type OutputLayout = (typeof OUTPUT_LAYOUTS)[number];

export const OUTPUT_LAYOUT_TEXT: Record<OutputLayout, string> = {
  'la-jsonl': 'Log Analytics rows, one JSON object per line, one file per table',
  'la-json': 'Log Analytics rows as one JSON array per table',
  'la-query': 'Log Analytics query API response ({"tables":[{"columns","rows"}]}) per table',
  'la-csv': 'Log Analytics portal CSV export per table ("TimeGenerated [UTC]" header, M/D/YYYY, h:mm:ss.fff AM dates)',
  diagnostic: 'diagnostic-settings records as storage PT1H.json lines (CRLF), one file per category',
  'event-hubs': 'diagnostic-settings records in Event Hubs messages {"records":[...]}, one message per line',
};

const TABLES: readonly TableName[] = ['SigninLogs', 'AADNonInteractiveUserSignInLogs'];
const CATEGORY_FILE: Record<TableName, string> = {
  SigninLogs: 'insights-logs-signinlogs',
  AADNonInteractiveUserSignInLogs: 'insights-logs-noninteractiveusersigninlogs',
};
/** Records per Event Hubs message; diagnostic settings batch a few dozen to a few hundred. */
const EVENT_HUBS_BATCH = 50;

/** Writes the events of one layout into its files. */
export interface LayoutWriter {
  readonly layout: OutputLayout;
  add(event: SignInEvent): Promise<void>;
  close(): Promise<void>;
  files(): OutputFile[];
}

function csvField(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function queryColumnType(column: string, value: unknown): string {
  if (DATETIME_COLUMNS.has(column)) return 'datetime';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'long';
  return 'string';
}

/** Creates the writer of one layout under `directory`. */
export function createLayoutWriter(layout: OutputLayout, directory: string, tenant: Tenant, options: OutputFileOptions, sampleEvent: SignInEvent): LayoutWriter {
  const perTable = new Map<TableName, OutputFile>();
  const render = new Map<TableName, (event: SignInEvent) => string>();

  for (const table of TABLES) {
    const columns = columnsOf(table);
    let file: OutputFile;
    switch (layout) {
      case 'la-jsonl':
        file = new OutputFile(directory, table, 'jsonl', { header: '', separator: '', footer: '' }, options);
        render.set(table, (event) => JSON.stringify(logAnalyticsRow(event, tenant, event.table === 'SigninLogs' ? 'object' : 'text')) + '\n');
        break;
      case 'la-json':
        file = new OutputFile(directory, table, 'json', { header: '[\n', separator: ',\n', footer: '\n]\n' }, options);
        render.set(table, (event) => JSON.stringify(logAnalyticsRow(event, tenant, event.table === 'SigninLogs' ? 'object' : 'text')));
        break;
      case 'la-query': {
        const sample = logAnalyticsRow({ ...sampleEvent, table }, tenant, 'text');
        const header = JSON.stringify(columns.map((name) => ({ name, type: queryColumnType(name, sample[name]) })));
        file = new OutputFile(directory, table, 'json', { header: `{"tables":[{"name":"PrimaryResult","columns":${header},"rows":[\n`, separator: ',\n', footer: '\n]}]}\n' }, options);
        render.set(table, (event) => {
          const row = logAnalyticsRow(event, tenant, 'text');
          return JSON.stringify(columns.map((name) => row[name]));
        });
        break;
      }
      case 'la-csv': {
        const header = columns.map((name) => (DATETIME_COLUMNS.has(name) ? `${name} [UTC]` : name)).map(csvField).join(',') + '\n';
        file = new OutputFile(directory, table, 'csv', { header, separator: '', footer: '' }, options);
        render.set(table, (event) => {
          const row = logAnalyticsRow(event, tenant, 'text');
          row.TimeGenerated = portalTime(event.generated);
          row.CreatedDateTime = portalTime(event.created);
          return columns.map((name) => csvField(row[name])).join(',') + '\n';
        });
        break;
      }
      case 'diagnostic':
        file = new OutputFile(directory, CATEGORY_FILE[table], 'json', { header: '', separator: '', footer: '' }, options);
        render.set(table, (event) => JSON.stringify(diagnosticRecord(event, tenant)) + '\r\n');
        break;
      case 'event-hubs':
        file = new OutputFile(directory, `${CATEGORY_FILE[table]}.eventhub`, 'json', { header: '', separator: '', footer: '' }, options);
        render.set(table, (event) => JSON.stringify(diagnosticRecord(event, tenant)));
        break;
    }
    perTable.set(table, file);
  }

  if (layout === 'event-hubs') {
    const batches = new Map<TableName, string[]>(TABLES.map((table) => [table, []]));
    const flush = async (table: TableName): Promise<void> => {
      const batch = batches.get(table)!;
      if (batch.length === 0) return;
      await perTable.get(table)!.add(`{"records":[${batch.join(',')}]}\n`);
      batches.set(table, []);
    };
    return {
      layout,
      async add(event) {
        const batch = batches.get(event.table)!;
        batch.push(render.get(event.table)!(event));
        if (batch.length >= EVENT_HUBS_BATCH) await flush(event.table);
      },
      async close() {
        for (const table of TABLES) {
          await flush(table);
          await perTable.get(table)!.close();
        }
      },
      files: () => [...perTable.values()],
    };
  }

  return {
    layout,
    async add(event) {
      await perTable.get(event.table)!.add(render.get(event.table)!(event));
    },
    async close() {
      for (const file of perTable.values()) await file.close();
    },
    files: () => [...perTable.values()],
  };
}
