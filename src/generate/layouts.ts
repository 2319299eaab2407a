/**
 * The output layouts `crackwatch generate` writes, one set of files per layout, each readable by
 * `crackwatch scan`: Log Analytics rows (JSON lines, JSON array, query-API response, portal CSV), and
 * diagnostic-settings records (storage PT1H.json lines, Event Hubs batches), Microsoft Graph API pages, and
 * the Entra admin center's CSV and JSON downloads.
 */
import type { SignInEvent, TableName } from './model.js';
import { OutputFile, type OutputFileOptions } from './output.js';
import { ADMIN_CENTER_CSV_HEADERS, adminCenterRow, columnsOf, DATETIME_COLUMNS, diagnosticRecord, graphSignIn, logAnalyticsRow, portalTime } from './records.js';
import type { Tenant } from './tenant.js';
import type { OutputLayout } from './catalog.js';

export { OUTPUT_LAYOUTS, OUTPUT_LAYOUT_TEXT, type OutputLayout } from './catalog.js';


/**
 * Layouts with no TimeGenerated: Graph and the admin center read Entra's own store, not Log Analytics, and
 * write `createdDateTime` in whole seconds. A scan uses the sign-in time as TimeGenerated, so a record that
 * Log Analytics received late falls in the window of its sign-in, and times lose their fraction.
 */
export const SIGN_IN_TIME_LAYOUTS: readonly OutputLayout[] = ['graph', 'entra-csv', 'entra-json'];

/** The days a download covers, as its file name states them (YYYY-MM-DD, the end exclusive). */
export interface Period {
  readonly from: string;
  readonly to: string;
}

const TABLES: readonly TableName[] = ['SigninLogs', 'AADNonInteractiveUserSignInLogs'];
const CATEGORY_FILE: Record<TableName, string> = {
  SigninLogs: 'insights-logs-signinlogs',
  AADNonInteractiveUserSignInLogs: 'insights-logs-noninteractiveusersigninlogs',
};
/** Records per Event Hubs message; diagnostic settings batch a few dozen to a few hundred. */
const EVENT_HUBS_BATCH = 50;

/** Sign-ins per Graph page: `/auditLogs/signIns` returns at most 1,000 (`$top=1000`). */
export const GRAPH_PAGE_SIZE = 1000;
const GRAPH_CONTEXT = 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns';
const EVENT_TYPE: Record<TableName, string> = { SigninLogs: 'interactiveUser', AADNonInteractiveUserSignInLogs: 'nonInteractiveUser' };
const DOWNLOAD_NAME: Record<TableName, string> = { SigninLogs: 'InteractiveSignIns', AADNonInteractiveUserSignInLogs: 'NonInteractiveSignIns' };

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

function newestFirst(a: SignInEvent, b: SignInEvent): number {
  return b.created - a.created || b.createdTicks - a.createdTicks;
}

/**
 * Graph and the admin center return sign-ins newest first across the whole period, while the generator
 * produces them a day and a block of users at a time, so these writers hold every event until `close()`.
 * NOTE: memory grows with the tenant (the events, not their rendered text); use the Log Analytics layouts
 * for tenants too large to hold.
 */
function newestFirstWriter(layout: OutputLayout, write: (table: TableName, events: SignInEvent[]) => Promise<OutputFile[]>): LayoutWriter {
  const pending = new Map<TableName, SignInEvent[]>(TABLES.map((table) => [table, []]));
  const written: OutputFile[] = [];
  return {
    layout,
    async add(event) {
      pending.get(event.table)!.push(event);
    },
    async close() {
      for (const table of TABLES) {
        // Array.prototype.sort is stable, so equal times keep the generator's (deterministic) order.
        const events = pending.get(table)!.sort(newestFirst);
        pending.set(table, []);
        written.push(...(await write(table, events)));
      }
    },
    files: () => written,
  };
}

/** Writes Graph API pages, one file each; every page but the last links to the next with `@odata.nextLink`. */
async function writeGraphPages(directory: string, tenant: Tenant, options: OutputFileOptions, table: TableName, events: SignInEvent[]): Promise<OutputFile[]> {
  const eventType = EVENT_TYPE[table];
  const pages = Math.max(1, Math.ceil(events.length / GRAPH_PAGE_SIZE));
  const files: OutputFile[] = [];
  for (let page = 0; page < pages; page++) {
    const last = page === pages - 1;
    const query = `$filter=signInEventTypes/any(t:t eq '${eventType}')&$top=${GRAPH_PAGE_SIZE}`;
    const skipToken = Buffer.from(`${eventType}:${page + 1}`).toString('base64url');
    const next = last ? '' : `,"@odata.nextLink":${JSON.stringify(`https://graph.microsoft.com/beta/auditLogs/signIns?${query}&$skiptoken=${skipToken}`)}`;
    const name = `signIns-${eventType}.page${String(page + 1).padStart(4, '0')}`;
    // A page is at most 1,000 sign-ins, so --split-size does not split it further.
    const file = new OutputFile(directory, name, 'json', { header: `{"@odata.context":${JSON.stringify(GRAPH_CONTEXT)},"value":[`, separator: ',', footer: `]${next}}\n` }, { ...options, maxBytes: 0 });
    for (const event of events.slice(page * GRAPH_PAGE_SIZE, (page + 1) * GRAPH_PAGE_SIZE)) await file.add(JSON.stringify(graphSignIn(event, tenant)));
    await file.close();
    files.push(file);
  }
  return files;
}

/** Creates the writer of one layout under `directory`. */
export function createLayoutWriter(layout: OutputLayout, directory: string, tenant: Tenant, options: OutputFileOptions, sampleEvent: SignInEvent, period: Period): LayoutWriter {
  if (layout === 'graph') return newestFirstWriter(layout, (table, events) => writeGraphPages(directory, tenant, options, table, events));
  if (layout === 'entra-csv' || layout === 'entra-json') {
    return newestFirstWriter(layout, async (table, events) => {
      const name = `${DOWNLOAD_NAME[table]}_${period.from}_${period.to}`;
      const file =
        layout === 'entra-csv'
          ? new OutputFile(directory, name, 'csv', { header: ADMIN_CENTER_CSV_HEADERS.map(csvField).join(',') + '\n', separator: '', footer: '' }, options)
          : new OutputFile(directory, name, 'json', { header: '[', separator: ',', footer: ']' }, options);
      for (const event of events) {
        await file.add(layout === 'entra-csv' ? adminCenterRow(event, tenant).map(csvField).join(',') + '\n' : JSON.stringify(graphSignIn(event, tenant)));
      }
      await file.close();
      return [file];
    });
  }

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
      default:
        throw new Error(`layout ${layout} is written by its own writer`);
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
