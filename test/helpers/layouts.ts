/**
 * Re-serialises real sign-in records into every layout crackwatch reads, so tests can check that the same
 * sign-ins give the same alerts whatever the layout. The records are the bundled attack sample (derived from
 * Apache-2.0 Datadog fixture records) plus the Datadog service-principal and managed-identity records, which
 * every layout must skip by category.
 *
 * Times are cut to whole milliseconds first, because the Log Analytics portal's CSV keeps only three
 * fractional digits; Graph layouts carry `createdDateTime`, which equals `time` in these records.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

type Json = Record<string, any>;

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
export const ATTACK_SAMPLE = path.join(ROOT, 'samples/attack/distributed-cracking.json');
const SERVICE_PRINCIPAL_SAMPLE = path.join(ROOT, 'samples/datadog-alfo/service_principal_sign_in_logs.json');
const MANAGED_IDENTITY_SAMPLE = path.join(ROOT, 'samples/datadog-alfo/managed_identity_sign_in_logs.json');

function readLines(file: string): Json[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Json);
}

function toMilliseconds(time: string): string {
  return new Date(time).toISOString();
}

/** Returns the diagnostic records everything is derived from: the attack sample plus three SP and three MI records. */
export function baseRecords(): Json[] {
  const records = [...readLines(ATTACK_SAMPLE), ...readLines(SERVICE_PRINCIPAL_SAMPLE).slice(0, 3), ...readLines(MANAGED_IDENTITY_SAMPLE).slice(0, 3)];
  return records.map((record) => {
    const copy = structuredClone(record);
    copy.time = toMilliseconds(copy.time);
    copy.properties.createdDateTime = copy.time;
    return copy;
  });
}

const EVENT_TYPES: Record<string, string> = {
  SignInLogs: 'interactiveUser',
  NonInteractiveUserSignInLogs: 'nonInteractiveUser',
  ServicePrincipalSignInLogs: 'servicePrincipal',
  ManagedIdentitySignInLogs: 'managedIdentity',
};

/** Converts a diagnostic record to a Graph beta signIn object: its properties plus `signInEventTypes`. */
export function graphBeta(record: Json): Json {
  return { ...structuredClone(record.properties), signInEventTypes: [EVENT_TYPES[record.category]] };
}

/** Converts a diagnostic record to a Graph v1.0 signIn object, where only `isInteractive` gives the table. */
function graphV1(record: Json): Json {
  const object = structuredClone(record.properties);
  delete object.signInEventTypes;
  object.isInteractive = record.category === 'SignInLogs';
  return object;
}

function pascal(key: string): string {
  if (key === 'ipAddress') return 'IPAddress';
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/** Converts a diagnostic record to the PowerShell SDK's ConvertTo-Json shape: PascalCase, AdditionalProperties at each level. */
function powerShell(record: Json): Json {
  const graph = graphBeta(record);
  const convert = (value: Json, depth: number): Json => {
    const result: Json = {};
    for (const [key, item] of Object.entries(value)) {
      result[pascal(key)] = depth > 0 && item !== null && typeof item === 'object' && !Array.isArray(item) ? convert(item, depth - 1) : item;
    }
    result.AdditionalProperties = {};
    return result;
  };
  const result = convert(graph, 2);
  // Properties the SDK does not model arrive in camelCase under AdditionalProperties.
  result.AdditionalProperties = { appOwnerTenantId: graph.appOwnerTenantId ?? null };
  delete result.AppOwnerTenantId;
  return result;
}

function csvField(value: unknown): string {
  let text: string;
  if (value === undefined || value === null) text = '';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: readonly string[], rows: readonly unknown[][]): string {
  return [header.map(csvField).join(','), ...rows.map((row) => row.map(csvField).join(','))].join('\r\n') + '\r\n';
}

/** "4/12/2025, 9:00:00.123 AM", the Log Analytics portal's datetime display. */
function portalDate(iso: string): string {
  const date = new Date(iso);
  const hour = date.getUTCHours();
  const clock = `${hour % 12 === 0 ? 12 : hour % 12}:${String(date.getUTCMinutes()).padStart(2, '0')}:${String(date.getUTCSeconds()).padStart(2, '0')}.${String(date.getUTCMilliseconds()).padStart(3, '0')}`;
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}, ${clock} ${hour < 12 ? 'AM' : 'PM'}`;
}

const TABLES: Record<string, string> = { SignInLogs: 'SigninLogs', NonInteractiveUserSignInLogs: 'AADNonInteractiveUserSignInLogs' };

export function logAnalyticsCsv(records: Json[]): string {
  const header = ['TimeGenerated [UTC]', 'OperationName', 'ResultType', 'ResultDescription', 'UserPrincipalName', 'IPAddress', 'AppDisplayName', 'LocationDetails', 'DeviceDetail', 'Status', 'Id', 'IsInteractive', 'Type'];
  const rows = records
    .filter((record) => TABLES[record.category] !== undefined)
    .map((record) => {
      const p = record.properties;
      return [portalDate(record.time), record.operationName, record.resultType, record.resultDescription ?? '', p.userPrincipalName, p.ipAddress, p.appDisplayName, JSON.stringify(p.location, null, 2), p.deviceDetail, p.status, p.id, String(p.isInteractive), TABLES[record.category]];
    });
  return csv(header, rows);
}

/** The admin center's download header, stray spaces and the duplicated "Incoming token type" included. */
const ENTRA_HEADER = ['Date (UTC)', 'Request ID', 'User agent', 'Correlation ID', 'User ID', 'User', 'Username', 'User type', 'Cross tenant access type', 'Incoming token type', 'Authentication Protocol', 'Application', 'Application ID ', 'Resource', 'Resource ID ', 'IP address', 'Location', 'Status', 'Sign-in error code', 'Failure reason', 'Client app', 'Device ID', 'Browser', 'Operating System', 'Compliant', 'Managed', 'Join Type', 'Autonomous system  number', 'Incoming token type', 'Latency'];

function entraCsv(records: Json[]): string {
  const rows = records.map((record) => {
    const p = record.properties;
    const location = p.location ?? {};
    const combined = [location.city, location.state, location.countryOrRegion].every((part: unknown) => !part) ? '' : `${location.city ?? ''}, ${location.state ?? ''}, ${location.countryOrRegion ?? ''}`;
    const code = p.status?.errorCode ?? 0;
    return [p.createdDateTime, p.id, p.userAgent, p.correlationId, p.userId, p.userDisplayName, p.userPrincipalName, p.userType, p.crossTenantAccessType, p.incomingTokenType, p.authenticationProtocol, p.appDisplayName, p.appId, p.resourceDisplayName, p.resourceId, p.ipAddress, combined, code === 0 ? 'Success' : 'Failure', code === 0 ? '' : code, p.status?.failureReason, p.clientAppUsed, p.deviceDetail?.deviceId, p.deviceDetail?.browser, p.deviceDetail?.operatingSystem, p.deviceDetail?.isCompliant, p.deviceDetail?.isManaged, p.deviceDetail?.trustType, p.autonomousSystemNumber, p.incomingTokenType, p.processingTimeInMilliseconds];
  });
  return csv(ENTRA_HEADER, rows);
}

function byCategory(records: Json[], category: string): Json[] {
  return records.filter((record) => record.category === category);
}

/** Extractor Suite writes each page with ConvertTo-Json and appends pages landing in the same second. */
function extractorPages(objects: Json[], pageSize: number): string {
  const pages: string[] = [];
  for (let i = 0; i < objects.length; i += pageSize) {
    const page = objects.slice(i, i + pageSize);
    pages.push(JSON.stringify(page.length === 1 ? page[0] : page, null, 4).replace(/\n/g, '\r\n'));
  }
  return '\uFEFF' + pages.join('\r\n') + '\r\n';
}

/** Layout sets: each is a folder of files holding the same sign-ins. */
export const LAYOUT_SETS = [
  'diagnostic',
  'event-hubs',
  'log-analytics-csv',
  'log-analytics-query-api',
  'graph-api-pages',
  'graph-array',
  'graph-json-lines',
  'graph-single-objects',
  'graph-powershell',
  'entra-download-csv',
  'entra-download-json',
  'extractor-suite',
  'extractor-suite-merged',
  'untitled-goose',
  'relay-message',
  'gzip',
] as const;
export type LayoutSet = (typeof LAYOUT_SETS)[number];

/** Writes every layout set under `root` (one folder each) and returns the folders by set. */
export function writeLayoutFixtures(root: string): Record<LayoutSet, string> {
  const records = baseRecords();
  const interactive = byCategory(records, 'SignInLogs');
  const nonInteractive = byCategory(records, 'NonInteractiveUserSignInLogs');
  const others = records.filter((record) => TABLES[record.category] === undefined);
  const folders = {} as Record<LayoutSet, string>;
  const write = (set: LayoutSet, name: string, content: string | Buffer): void => {
    const folder = path.join(root, set);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, name), content);
    folders[set] = folder;
  };
  const lines = (objects: Json[]): string => objects.map((object) => JSON.stringify(object)).join('\n') + '\n';

  write('diagnostic', 'PT1H.json', records.map((record) => JSON.stringify(record)).join('\r\n') + '\r\n');
  write('event-hubs', 'batch.json', JSON.stringify({ records: records.slice(0, 40) }) + '\n' + JSON.stringify({ records: records.slice(40) }) + '\n');
  write('log-analytics-csv', 'query_data.csv', logAnalyticsCsv(records));

  const columns = ['TimeGenerated', 'OperationName', 'ResultType', 'ResultDescription', 'UserPrincipalName', 'IPAddress', 'AppDisplayName', 'LocationDetails', 'DeviceDetail', 'Type', 'Id'];
  const apiRows = records
    .filter((record) => TABLES[record.category] !== undefined)
    .map((record) => {
      const p = record.properties;
      return [record.time, record.operationName, record.resultType, record.resultDescription ?? '', p.userPrincipalName, p.ipAddress, p.appDisplayName, JSON.stringify(p.location), JSON.stringify(p.deviceDetail), TABLES[record.category], p.id];
    });
  write('log-analytics-query-api', 'query.json', JSON.stringify({ tables: [{ name: 'PrimaryResult', columns: columns.map((name) => ({ name, type: 'string' })), rows: apiRows }] }, null, 2));

  const v1 = records.map(graphV1);
  const beta = records.map(graphBeta);
  const context = 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns';
  write('graph-api-pages', 'page-1.json', JSON.stringify({ '@odata.context': context, value: v1.slice(0, 30), '@odata.nextLink': `${context}?$skiptoken=page2` }));
  write('graph-api-pages', 'page-2.json', JSON.stringify({ '@odata.context': context, value: v1.slice(30) }));
  write('graph-array', 'signins.json', JSON.stringify(beta, null, 2));
  write('graph-json-lines', 'signins.jsonl', lines(beta));
  write('graph-single-objects', 'signins.json', beta.map((object) => JSON.stringify(object, null, 2)).join('\n'));
  write('graph-powershell', 'Get-MgBetaAuditLogSignIn.json', JSON.stringify(records.map(powerShell), null, 4));
  write('entra-download-csv', 'InteractiveSignIns_2025-04-11_2025-04-13.csv', entraCsv(interactive));
  write('entra-download-csv', 'NonInteractiveSignIns_2025-04-11_2025-04-13.csv', entraCsv(nonInteractive));
  write('entra-download-csv', 'ApplicationSignIns_2025-04-11_2025-04-13.csv', entraCsv(byCategory(others, 'ServicePrincipalSignInLogs')));
  write('entra-download-json', 'InteractiveSignIns_2025-04-11_2025-04-13.json', JSON.stringify(interactive.map(graphBeta)));
  write('entra-download-json', 'NonInteractiveSignIns_2025-04-11_2025-04-13.json', JSON.stringify(nonInteractive.map(graphBeta)));
  write('entra-download-json', 'MSISignIns_2025-04-11_2025-04-13.json', JSON.stringify(byCategory(others, 'ManagedIdentitySignInLogs').map(graphV1)));
  write('extractor-suite', '20250413101500-interactiveUser-SignInLogs.json', extractorPages(interactive.map(graphBeta), 13));
  write('extractor-suite', '20250413101501-nonInteractiveUser-SignInLogs.json', extractorPages(nonInteractive.map(graphBeta), 29));
  write('extractor-suite', '20250413101502-servicePrincipal-SignInLogs.json', extractorPages(others.map(graphBeta), 6));
  // -MergeOutput strips each page file's outer brackets and joins what is left with commas.
  write('extractor-suite-merged', 'SignInLogs-interactiveUser-nonInteractiveUser-Combined.json', '\uFEFF' + beta.map((object) => JSON.stringify(object, null, 4)).join(',\r\n') + '\r\n');
  write('untitled-goose', 'rt_signin_log_2025-04-12.json', lines(beta));
  write('relay-message', 'relay.jsonl', lines(records.map((record) => ({ input: { message: JSON.stringify(record) }, expected: {} }))));
  write('gzip', 'PT1H.json.gz', gzipSync(records.map((record) => JSON.stringify(record)).join('\n')));
  return folders;
}

/** Number of records per table and of skipped categories in the base records. */
export function expectedCounts(): { tables: Record<string, number>; otherCategories: Record<string, number> } {
  const tables: Record<string, number> = {};
  const otherCategories: Record<string, number> = {};
  for (const record of baseRecords()) {
    const table = TABLES[record.category];
    if (table !== undefined) tables[table] = (tables[table] ?? 0) + 1;
    else otherCategories[record.category] = (otherCategories[record.category] ?? 0) + 1;
  }
  return { tables, otherCategories };
}
