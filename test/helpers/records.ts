/**
 * Builders for test records, based on a real published record (the first interactive sign-in of the
 * Datadog fixture in samples/datadog-alfo, Apache-2.0) with only the values a test needs varied.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

type Json = Record<string, any>;

const TEMPLATE: Json = JSON.parse(readFileSync(path.join(REPO_ROOT, 'samples/datadog-alfo/sign_in_logs.json'), 'utf8').split(/\r?\n/)[0]);

export interface Place {
  countryOrRegion?: string;
  state?: string;
  city?: string;
}

export interface FailureSpec {
  upn: string;
  /** ISO 8601 TimeGenerated. */
  time: string;
  ip?: string;
  place?: Place | null;
  code?: string | number;
  description?: string;
  table?: 'SigninLogs' | 'AADNonInteractiveUserSignInLogs';
  app?: string;
  browser?: string | null;
  os?: string;
  id?: string;
  operationName?: string;
}

let counter = 0;
function nextId(): string {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

const CITIES: Place[] = [
  { countryOrRegion: 'US', state: 'New Jersey', city: 'Westfield' },
  { countryOrRegion: 'BR', state: 'Sao Paulo', city: 'Sao Paulo' },
  { countryOrRegion: 'NG', state: 'Lagos', city: 'Lagos' },
  { countryOrRegion: 'VN', state: 'Ha Noi', city: 'Hanoi' },
  { countryOrRegion: 'DE', state: 'Hesse', city: 'Frankfurt am Main' },
  { countryOrRegion: 'FR', state: 'Ile-de-France', city: 'Paris' },
];

/** Returns the n-th of a fixed list of real places, cycling. */
export function place(n: number): Place {
  return CITIES[n % CITIES.length];
}

/** Builds a diagnostic-settings record (storage PT1H.json layout) for one failed sign-in. */
export function diagnosticRecord(spec: FailureSpec): Json {
  const record = structuredClone(TEMPLATE);
  const id = spec.id ?? nextId();
  const code = spec.code ?? '50126';
  record.time = spec.time;
  record.category = spec.table === 'AADNonInteractiveUserSignInLogs' ? 'NonInteractiveUserSignInLogs' : 'SignInLogs';
  record.operationName = spec.operationName ?? 'Sign-in activity';
  record.resultType = String(code);
  record.resultSignature = 'FAILURE';
  record.resultDescription = spec.description ?? 'Invalid username or password or Invalid on-premises username or password.';
  record.callerIpAddress = spec.ip ?? '203.0.113.9';
  const properties = record.properties;
  properties.id = id;
  properties.originalRequestId = id;
  properties.createdDateTime = spec.time;
  properties.userPrincipalName = spec.upn;
  properties.ipAddress = spec.ip ?? '203.0.113.9';
  properties.appDisplayName = spec.app ?? 'Azure Portal';
  properties.isInteractive = spec.table !== 'AADNonInteractiveUserSignInLogs';
  properties.status = { errorCode: Number(code), failureReason: record.resultDescription };
  properties.location = spec.place === null ? { geoCoordinates: {} } : { ...(spec.place ?? place(0)), geoCoordinates: {} };
  properties.deviceDetail = { deviceId: '', operatingSystem: spec.os ?? 'Windows 10' };
  if (spec.browser !== null) properties.deviceDetail.browser = spec.browser ?? 'Chrome 124.0.0';
  return record;
}

/**
 * Builds a Log Analytics row with the same content. `jsonAsText` writes LocationDetails, DeviceDetail and Status as
 * JSON text, as AADNonInteractiveUserSignInLogs stores them.
 */
export function logAnalyticsRow(spec: FailureSpec, jsonAsText = false): Json {
  const diagnostic = diagnosticRecord(spec);
  const properties = diagnostic.properties;
  const table = spec.table ?? 'SigninLogs';
  const json = (value: unknown): unknown => (jsonAsText ? JSON.stringify(value) : value);
  return {
    TenantId: diagnostic.tenantId,
    TimeGenerated: spec.time,
    OperationName: diagnostic.operationName,
    Category: diagnostic.category,
    ResultType: typeof spec.code === 'number' ? spec.code : String(spec.code ?? '50126'),
    ResultSignature: 'FAILURE',
    ResultDescription: diagnostic.resultDescription,
    CorrelationId: properties.correlationId,
    Identity: diagnostic.identity,
    AppDisplayName: properties.appDisplayName,
    AppId: properties.appId,
    ClientAppUsed: properties.clientAppUsed,
    CreatedDateTime: spec.time,
    DeviceDetail: json(properties.deviceDetail),
    IsInteractive: table === 'SigninLogs',
    Id: properties.id,
    IPAddress: properties.ipAddress,
    LocationDetails: json(properties.location),
    OriginalRequestId: properties.originalRequestId,
    Status: json(properties.status),
    UserAgent: properties.userAgent,
    UserDisplayName: properties.userDisplayName,
    UserId: properties.userId,
    UserPrincipalName: spec.upn,
    UserType: 'Member',
    Type: table,
  };
}

/** Returns `count` failures of one user spread over `minutes`, cycling through `places` distinct places. */
export function burst(upn: string, startIso: string, count: number, places: number, minutes = 120, extra: Partial<FailureSpec> = {}): FailureSpec[] {
  const start = Date.parse(startIso);
  const specs: FailureSpec[] = [];
  for (let i = 0; i < count; i++) {
    const time = new Date(start + Math.floor((i * minutes * 60_000) / Math.max(1, count))).toISOString().replace('Z', '0000Z');
    specs.push({ upn, time, place: place(i % places), ip: `203.0.113.${(i % places) + 1}`, ...extra });
  }
  return specs;
}

function portalTime(iso: string): string {
  const date = new Date(iso);
  const hours = date.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}, ${hour12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)} ${hours < 12 ? 'AM' : 'PM'}`;
}

function csvQuote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes rows as the Log Analytics portal exports them: datetime columns renamed "X [UTC]" with US 12-hour
 * values, JSON columns pretty-printed inside quoted cells, booleans as TRUE/FALSE. With `union`, the JSON
 * columns are split into the `_dynamic`/`_string` pair a union of the two tables leaves.
 */
export function portalCsv(rows: readonly Json[], options: { union?: boolean; newline?: string } = {}): string {
  const jsonColumns = new Set(['DeviceDetail', 'LocationDetails', 'Status']);
  const first = rows[0];
  const header: string[] = [];
  for (const key of Object.keys(first)) {
    if (key === 'TimeGenerated' || key === 'CreatedDateTime') header.push(`${key} [UTC]`);
    else if (options.union === true && jsonColumns.has(key)) header.push(`${key}_dynamic`, `${key}_string`);
    else header.push(key);
  }

  const lines = [header.map(csvQuote).join(',')];
  for (const row of rows) {
    const cells: string[] = [];
    for (const [key, value] of Object.entries(row)) {
      let text: string;
      if (key === 'TimeGenerated' || key === 'CreatedDateTime') text = portalTime(value as string);
      else if (typeof value === 'boolean') text = value ? 'TRUE' : 'FALSE';
      else if (typeof value === 'object' && value !== null) text = JSON.stringify(value, null, 2);
      else if (typeof value === 'string' && jsonColumns.has(key) && value.startsWith('{')) text = JSON.stringify(JSON.parse(value), null, 2);
      else text = String(value ?? '');

      if (options.union === true && jsonColumns.has(key)) {
        const interactive = row.Type === 'SigninLogs';
        cells.push(csvQuote(interactive ? text : ''), csvQuote(interactive ? '' : text));
      } else {
        cells.push(csvQuote(text));
      }
    }
    lines.push(cells.join(','));
  }
  const newline = options.newline ?? '\n';
  return lines.join(newline) + newline;
}
