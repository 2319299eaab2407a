import type { Dynamic } from '../../core/kql.js';
import { emptySignIn, NON_INTERACTIVE_SIGNIN_LOGS, SIGNIN_LOGS, type RecordSource } from '../../core/signin.js';
import { parseTimestamp, TimestampError } from '../../core/time.js';
import { DIAGNOSTIC_CATEGORY_TABLES } from './diagnostic.js';
import { SIGN_IN_OPERATION } from './graph.js';
import { skip, type MapContext, type MapResult } from './result.js';
import { boolColumn } from './values.js';

/**
 * The Entra admin center's CSV download of the sign-in logs blade (`InteractiveSignIns_<from>_<to>.csv`,
 * `NonInteractiveSignIns_...`): one row per sign-in under display-name headers ("Date (UTC)", "Username",
 * "IP address", "Sign-in error code"), the location as one "City, State, CC" string, and no column that says
 * which table the row belongs to: only the file name tells.
 *
 * Real downloads carry stray spaces ("Application ID "), double spaces ("Autonomous system  number") and a
 * duplicated "Incoming token type", so headers are matched after trimming, collapsing spaces and ignoring case.
 */

type Row = Record<string, unknown>;

/** The columns read, by their normalised header; the first listed name present wins. */
const COLUMNS = {
  date: ['date (utc)', 'date'],
  upn: ['username', 'user principal name'],
  ip: ['ip address'],
  app: ['application'],
  location: ['location'],
  status: ['status'],
  code: ['sign-in error code'],
  reason: ['failure reason'],
  details: ['additional details'],
  browser: ['browser'],
  os: ['operating system'],
  deviceId: ['device id'],
  compliant: ['compliant'],
  managed: ['managed'],
  joinType: ['join type'],
  requestId: ['request id'],
  correlationId: ['correlation id'],
  userAgent: ['user agent'],
  userId: ['user id'],
} as const;
type ColumnName = keyof typeof COLUMNS;
type ColumnKeys = Partial<Record<ColumnName, string>>;

function normalizeHeader(header: string): string {
  return header.trim().replace(/\s+/g, ' ').toLowerCase();
}

// Every row of a file has the same keys, so the lookup is built once per header and reused.
let cachedHeader: string | null = null;
let cachedKeys: ColumnKeys = {};

function columnKeys(row: Row): ColumnKeys {
  const keys = Object.keys(row);
  const header = keys.join('\u0000');
  if (header === cachedHeader) return cachedKeys;

  const byName = new Map<string, string>();
  for (const key of keys) {
    const name = normalizeHeader(key);
    if (!byName.has(name)) byName.set(name, key);
  }
  const result: ColumnKeys = {};
  for (const [column, names] of Object.entries(COLUMNS) as [ColumnName, readonly string[]][]) {
    const key = names.map((name) => byName.get(name)).find((found) => found !== undefined);
    if (key !== undefined) result[column] = key;
  }
  cachedHeader = header;
  cachedKeys = result;
  return result;
}

function cell(row: Row, keys: ColumnKeys, column: ColumnName): string {
  const key = keys[column];
  if (key === undefined) return '';
  const value = row[key];
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value.trim() : String(value);
}

/**
 * Splits the combined location "City, State, CC" from the right, because a city name may itself hold a
 * comma: the last part is the country, the one before the state, and the rest the city. Parts may be empty.
 */
export function splitCombinedLocation(text: string): { city: string; state: string; countryOrRegion: string } {
  const parts = text.split(',').map((part) => part.trim());
  if (text.trim().length === 0) return { city: '', state: '', countryOrRegion: '' };
  const countryOrRegion = parts.pop() ?? '';
  const state = parts.pop() ?? '';
  return { city: parts.join(', '), state, countryOrRegion };
}

const TABLE_CATEGORIES: Record<string, string> = Object.fromEntries(
  Object.entries(DIAGNOSTIC_CATEGORY_TABLES).map(([category, table]) => [table, category]),
);

/**
 * Maps one admin-center CSV row to a SignIn. TimeGenerated is "Date (UTC)" (the sign-in time, a proxy as in
 * Graph), read as UTC because the header says so; OperationName is "Sign-in activity"; ResultType is
 * "Sign-in error code" ("0" for a success without a code); ResultDescription is "Failure reason".
 */
export function mapEntraDownloadRow(row: Row, source: RecordSource, context: MapContext): MapResult {
  const keys = columnKeys(row);
  const table = context.tableHint;
  if (table === null) {
    return skip(
      'unknown-table',
      'admin-center download rows do not say their table; keep the InteractiveSignIns_/NonInteractiveSignIns_ file name or pass --table',
    );
  }
  if (table !== SIGNIN_LOGS && table !== NON_INTERACTIVE_SIGNIN_LOGS) {
    const category = TABLE_CATEGORIES[table] ?? table;
    return skip('other-category', `category "${category}" is not read by the rule`, category);
  }

  const timeValue = cell(row, keys, 'date');
  if (timeValue === '') return skip('missing-timestamp', 'row has no "Date (UTC)" value');
  const signIn = emptySignIn(source);
  // "Date (UTC)" states its zone in the header; a plain "Date" column does not.
  const headerSaysUtc = keys.date !== undefined && normalizeHeader(keys.date) === 'date (utc)';
  const time = headerSaysUtc && context.time.assumedOffsetMinutes === null ? { ...context.time, assumedOffsetMinutes: 0 } : context.time;
  try {
    signIn.TimeGenerated = parseTimestamp(timeValue, time);
    signIn.CreatedDateTime = signIn.TimeGenerated;
  } catch (error) {
    if (error instanceof TimestampError) return skip('invalid-timestamp', error.message);
    throw error;
  }

  let code = cell(row, keys, 'code');
  if (code === '' && cell(row, keys, 'status').toLowerCase() === 'success') code = '0';
  const reason = cell(row, keys, 'reason');
  const details = cell(row, keys, 'details');
  const location = cell(row, keys, 'location');

  signIn.Type = table;
  signIn.OperationName = SIGN_IN_OPERATION;
  signIn.ResultType = code;
  signIn.ResultDescription = reason;
  signIn.UserPrincipalName = cell(row, keys, 'upn');
  signIn.IPAddress = cell(row, keys, 'ip');
  signIn.AppDisplayName = cell(row, keys, 'app');
  signIn.LocationDetails = location === '' ? null : splitCombinedLocation(location);
  signIn.DeviceDetail = deviceDetail(row, keys);
  const errorCode = Number(code);
  signIn.Status = { errorCode: code !== '' && Number.isSafeInteger(errorCode) ? errorCode : code, failureReason: reason, additionalDetails: details };
  signIn.Id = cell(row, keys, 'requestId');
  signIn.OriginalRequestId = signIn.Id;
  signIn.CorrelationId = cell(row, keys, 'correlationId');
  signIn.UserAgent = cell(row, keys, 'userAgent');
  signIn.UserId = cell(row, keys, 'userId');
  signIn.IsInteractive = table === SIGNIN_LOGS;
  return { ok: true, signIn };
}

function deviceDetail(row: Row, keys: ColumnKeys): Dynamic {
  return {
    deviceId: cell(row, keys, 'deviceId'),
    operatingSystem: cell(row, keys, 'os'),
    browser: cell(row, keys, 'browser'),
    isCompliant: boolColumn(cell(row, keys, 'compliant')),
    isManaged: boolColumn(cell(row, keys, 'managed')),
    trustType: cell(row, keys, 'joinType'),
  };
}

/** Tells whether a row carries the admin-center download's display-name headers. */
export function looksLikeEntraDownloadRow(row: Row): boolean {
  const keys = columnKeys(row);
  return keys.date !== undefined && keys.upn !== undefined && (keys.code !== undefined || keys.ip !== undefined);
}
