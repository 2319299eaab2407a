/**
 * A seeded generator of synthetic Entra ID sign-in logs for the benchmark. It writes the same records in
 * four layouts: Log Analytics SigninLogs as JSON lines, Azure Monitor diagnostic-settings JSON lines, one
 * Log Analytics JSON array, and the JSON lines gzip-compressed.
 *
 * Records carry the columns a real export carries (about 3.5 KB each, most of it conditional-access and
 * authentication detail), about 5% are failures the rule counts, and a few users per day are attacked from
 * many countries so that the rule raises alerts.
 *
 * NOTE: `crackwatch generate` is being built as a command of its own; once it exists, the benchmark can
 * call it in place of this module and drop this file.
 */
import { closeSync, createReadStream, createWriteStream, openSync, writeSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/** mulberry32: a small, fast, seeded PRNG; the same seed always gives the same files. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TENANT = '4d3bac44-0230-4732-9e70-cc00736f0a97';
const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2026, 9, 1);

const PLACES = [
  ['US', 'Washington', 'Seattle'],
  ['US', 'New York', 'New York'],
  ['GB', 'England', 'London'],
  ['DE', 'Hessen', 'Frankfurt am Main'],
  ['FR', 'Ile-de-France', 'Paris'],
  ['NL', 'Noord-Holland', 'Amsterdam'],
  ['IN', 'Karnataka', 'Bengaluru'],
  ['BR', 'Sao Paulo', 'Sao Paulo'],
  ['JP', 'Tokyo', 'Tokyo'],
  ['VN', 'Ha Noi', 'Hanoi'],
  ['NG', 'Lagos', 'Lagos'],
  ['RU', 'Moscow', 'Moscow'],
] as const;

const APPS = [
  ['Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000'],
  ['Microsoft Teams', '1fec8e78-bce4-4aaf-ab1b-5451cc387264'],
  ['Azure Portal', 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c'],
  ['Office Home', '4765445b-32c6-49b0-83e6-1d93765276ca'],
  ['Microsoft Authentication Broker', '29d9ed98-a469-4536-ade2-f981bc1d605e'],
] as const;

const BROWSERS = ['Chrome 124.0.0', 'Edge 124.0.2478', 'Firefox 125.0', 'Safari 17.4', 'Mobile Safari 17.4'];
const SYSTEMS = ['Windows 10', 'Windows 11', 'MacOs', 'Ios 17.4', 'Android 14', 'Linux'];

/** ResultType codes with their descriptions; the first four are the ones the rule counts. */
const COUNTED = [
  ['50126', 'Invalid username or password or Invalid on-premises username or password.'],
  ['50053', 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.'],
  ['50055', 'The password is expired.'],
  ['50056', 'Invalid or null password: password does not exist in the directory for this user.'],
] as const;
const OTHER_FAILURES = [
  ['50074', 'Strong Authentication is required.'],
  ['50140', 'This error occurred due to "Keep me signed in" interrupt when the user was signing in.'],
  ['70044', 'The session has expired or is invalid due to sign-in frequency checks by conditional access.'],
  ['16000', 'Either multiple user identities are available for the current request or selected account is not supported for the scenario.'],
] as const;

export interface GeneratedRecord {
  time: string;
  upn: string;
  code: string;
  description: string;
  place: readonly [string, string, string];
  ip: string;
  app: readonly [string, string];
  browser: string;
  os: string;
  interactive: boolean;
  id: string;
  correlationId: string;
  userId: string;
  userAgent: string;
}

function hex(next: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += '0123456789abcdef'[(next() * 16) | 0];
  return text;
}

function guid(next: () => number): string {
  return `${hex(next, 8)}-${hex(next, 4)}-4${hex(next, 3)}-a${hex(next, 3)}-${hex(next, 12)}`;
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[(next() * items.length) | 0];
}

function ticksIso(ms: number, next: () => number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}${String((next() * 10000) | 0).padStart(4, '0')}Z`;
}

/**
 * Yields `count` records in time order over `days` days. About 2.5% are scattered counted failures and
 * about 2.5% come from daily attacks on a few users, each attack more than 30 failures from 5 to 8 countries.
 */
export function* generateRecords(seed: number, count: number, days: number): Generator<GeneratedRecord> {
  const next = random(seed);
  const users = Array.from({ length: 5000 }, (_, i) => `user${String(i).padStart(4, '0')}@contoso.com`);
  const userIds = users.map(() => guid(next));
  const homes = users.map(() => (next() * 6) | 0);
  const stepMs = (days * DAY_MS) / count;
  const attacksPerDay = Math.max(1, Math.round((count * 0.025) / days / 40));

  for (let i = 0; i < count; i++) {
    const ms = START_MS + Math.floor(i * stepMs);
    const day = Math.floor((ms - START_MS) / DAY_MS);
    const roll = next();

    let user = (next() * users.length) | 0;
    let place: readonly [string, string, string] = PLACES[homes[user]];
    let code = '0';
    let description = '';

    const attack = roll < 0.025;
    if (attack) {
      // An attack: one of today's targets, from anywhere.
      user = (day * 97 + ((next() * attacksPerDay) | 0) * 13) % users.length;
      place = pick(next, PLACES);
      [code, description] = pick(next, COUNTED);
    } else if (roll < 0.05) {
      [code, description] = pick(next, COUNTED);
    } else if (roll < 0.12) {
      [code, description] = pick(next, OTHER_FAILURES);
    }

    const browser = pick(next, BROWSERS);
    yield {
      time: ticksIso(ms, next),
      upn: users[user],
      code,
      description,
      place,
      ip: `${(next() * 223 + 1) | 0}.${(next() * 256) | 0}.${(next() * 256) | 0}.${(next() * 256) | 0}`,
      app: pick(next, APPS),
      browser,
      os: pick(next, SYSTEMS),
      interactive: attack || next() < 0.6,
      id: guid(next),
      correlationId: guid(next),
      userId: userIds[user],
      userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ${browser.replace(' ', '/')} Safari/537.36`,
    };
  }
}

function conditionalAccess(record: GeneratedRecord): string {
  const result = record.code === '0' ? 'success' : 'notApplied';
  const policies = [
    ['Require MFA for admins', 'bd71b40a-9e2f-4c3a-8f7e-2a4c8d9b1e01'],
    ['Block legacy authentication', 'c0a1e2f3-4b5c-4d6e-8f70-81a2b3c4d5e6'],
  ];
  return (
    '[' +
    policies
      .map(
        ([name, id]) =>
          `{"id":"${id}","displayName":"${name}","enforcedGrantControls":["Mfa"],"enforcedSessionControls":[],` +
          `"result":"${result}","conditionsSatisfied":"application,users","conditionsNotSatisfied":"none",` +
          `"excludeRulesSatisfied":[],"sessionControlsNotSatisfied":[]}`,
      )
      .join(',') +
    ']'
  );
}

function authenticationDetails(record: GeneratedRecord): string {
  const succeeded = record.code === '0';
  return (
    `[{"authenticationStepDateTime":"${record.time}","authenticationMethod":"Password","authenticationMethodDetail":"Password in the cloud",` +
    `"succeeded":${succeeded},"authenticationStepResultDetail":"${succeeded ? 'Correct password' : 'Invalid username or password or Invalid on-premises username or password.'}",` +
    `"authenticationStepRequirement":"Primary authentication","StatusSequence":0,"RequestSequence":0}]`
  );
}

const PROCESSING_DETAILS =
  '[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":"Oauth Scope Info","value":"[\\"email\\",\\"openid\\",\\"profile\\",\\"User.Read\\"]"},' +
  '{"key":"Is CAE Token","value":"False"},{"key":"Root Key Type","value":"Unknown"}]';

/** One Log Analytics SigninLogs row as exported (JSON columns hold objects, some the JSON text Log Analytics keeps). */
export function logAnalyticsLine(record: GeneratedRecord): string {
  const [country, state, city] = record.place;
  const [appName, appId] = record.app;
  const failure = record.code !== '0';
  return JSON.stringify({
    TenantId: TENANT,
    SourceSystem: 'Azure AD',
    TimeGenerated: record.time,
    ResourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    OperationName: 'Sign-in activity',
    OperationVersion: '1.0',
    Category: record.interactive ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
    ResultType: record.code,
    ResultSignature: failure ? 'FAILURE' : 'SUCCESS',
    ResultDescription: record.description,
    DurationMs: 0,
    CorrelationId: record.correlationId,
    Resource: 'Microsoft.aadiam',
    ResourceGroup: 'Microsoft.aadiam',
    ResourceProvider: 'Microsoft.aadiam',
    Identity: record.upn.split('@')[0],
    Level: 4,
    Location: country,
    AlternateSignInName: record.upn,
    AppDisplayName: appName,
    AppId: appId,
    AuthenticationDetails: authenticationDetails(record),
    AuthenticationMethodsUsed: '[]',
    AuthenticationProcessingDetails: PROCESSING_DETAILS,
    AuthenticationProtocol: 'none',
    AuthenticationRequirement: 'singleFactorAuthentication',
    AutonomousSystemNumber: 8075,
    ClientAppUsed: 'Browser',
    ConditionalAccessPolicies: JSON.parse(conditionalAccess(record)),
    ConditionalAccessStatus: failure ? 'notApplied' : 'success',
    CreatedDateTime: record.time,
    DeviceDetail: { deviceId: '', displayName: '', operatingSystem: record.os, browser: record.browser, isCompliant: false, isManaged: false, trustType: '' },
    HomeTenantId: TENANT,
    IPAddress: record.ip,
    IsInteractive: record.interactive,
    Id: record.id,
    IsRisky: false,
    LocationDetails: { city, state, countryOrRegion: country, geoCoordinates: { latitude: 47.6, longitude: -122.3 } },
    MfaDetail: {},
    NetworkLocationDetails: '[]',
    OriginalRequestId: record.id,
    ProcessingTimeInMilliseconds: 112,
    ResourceDisplayName: 'Windows Azure Active Directory',
    RiskDetail: 'none',
    RiskEventTypes: '[]',
    RiskLevelAggregated: 'none',
    RiskLevelDuringSignIn: 'none',
    RiskState: 'none',
    ServicePrincipalId: '',
    SignInIdentifierType: 'userPrincipalName',
    Status: failure ? { errorCode: Number(record.code), failureReason: record.description } : { errorCode: 0 },
    TokenIssuerName: '',
    TokenIssuerType: 'AzureAD',
    UniqueTokenIdentifier: record.id.replace(/-/g, '').slice(0, 22),
    UserAgent: record.userAgent,
    UserDisplayName: record.upn.split('@')[0],
    UserId: record.userId,
    UserPrincipalName: record.upn,
    UserType: 'Member',
    Type: record.interactive ? 'SigninLogs' : 'AADNonInteractiveUserSignInLogs',
  });
}

/** The same sign-in as an Azure Monitor diagnostic-settings record (storage account PT1H.json line). */
export function diagnosticLine(record: GeneratedRecord): string {
  const [country, state, city] = record.place;
  const [appName, appId] = record.app;
  const failure = record.code !== '0';
  return JSON.stringify({
    time: record.time,
    resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: record.interactive ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
    tenantId: TENANT,
    resultType: record.code,
    resultSignature: failure ? 'FAILURE' : 'SUCCESS',
    resultDescription: record.description,
    durationMs: 0,
    callerIpAddress: record.ip,
    correlationId: record.correlationId,
    identity: record.upn.split('@')[0],
    Level: 4,
    location: country,
    properties: {
      id: record.id,
      createdDateTime: record.time,
      userDisplayName: record.upn.split('@')[0],
      userPrincipalName: record.upn,
      userId: record.userId,
      appId,
      appDisplayName: appName,
      ipAddress: record.ip,
      status: failure ? { errorCode: Number(record.code), failureReason: record.description } : { errorCode: 0 },
      clientAppUsed: 'Browser',
      userAgent: record.userAgent,
      deviceDetail: { deviceId: '', operatingSystem: record.os, browser: record.browser, isCompliant: false, isManaged: false },
      location: { city, state, countryOrRegion: country, geoCoordinates: { latitude: 47.6, longitude: -122.3 } },
      correlationId: record.correlationId,
      conditionalAccessStatus: failure ? 'notApplied' : 'success',
      appliedConditionalAccessPolicies: JSON.parse(conditionalAccess(record)),
      authenticationDetails: JSON.parse(authenticationDetails(record)),
      authenticationProcessingDetails: JSON.parse(PROCESSING_DETAILS),
      authenticationRequirement: 'singleFactorAuthentication',
      isInteractive: record.interactive,
      tokenIssuerType: 'AzureAD',
      riskDetail: 'none',
      riskLevelAggregated: 'none',
      riskLevelDuringSignIn: 'none',
      riskState: 'none',
      riskEventTypes: [],
      resourceDisplayName: 'Windows Azure Active Directory',
      resourceId: '00000002-0000-0000-c000-000000000000',
      autonomousSystemNumber: 8075,
      userType: 'Member',
      uniqueTokenIdentifier: record.id.replace(/-/g, '').slice(0, 22),
      incomingTokenType: 'none',
      crossTenantAccessType: 'none',
    },
  });
}

export interface GeneratedFiles {
  records: number;
  counted: number;
}

/** Writes lines to a file in large batches, so the generator is not bound by write calls. */
class BatchWriter {
  private readonly fd: number;
  private batch: string[] = [];
  private size = 0;

  constructor(path: string, private readonly separator: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.batch.push(text);
    this.size += text.length;
    if (this.size > 8 << 20) this.flush();
  }

  raw(text: string): void {
    this.flush();
    writeSync(this.fd, text);
  }

  flush(): void {
    if (this.batch.length === 0) return;
    writeSync(this.fd, this.batch.join(this.separator) + this.separator);
    this.batch = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/**
 * Writes the four layouts of the same `count` records. The JSON array puts one record per line after
 * "[", separated by ",\n", as Log Analytics' "Export to JSON" does for large results.
 */
export async function writeDataset(
  paths: { ndjson: string; diagnostic: string; array: string; gzip: string },
  seed: number,
  count: number,
  days: number,
): Promise<GeneratedFiles> {
  const ndjson = new BatchWriter(paths.ndjson, '\n');
  const diagnostic = new BatchWriter(paths.diagnostic, '\n');
  const array = new BatchWriter(paths.array, '');

  let counted = 0;
  let first = true;
  for (const record of generateRecords(seed, count, days)) {
    if (COUNTED.some(([code]) => code === record.code)) counted++;
    const line = logAnalyticsLine(record);
    ndjson.write(line);
    diagnostic.write(diagnosticLine(record));
    array.write(first ? `[\n${line}` : `,\n${line}`);
    first = false;
  }
  ndjson.close();
  diagnostic.close();
  array.raw('\n]\n');
  array.close();

  await pipeline(createReadStream(paths.ndjson, { highWaterMark: 1 << 20 }), createGzip({ level: 6 }), createWriteStream(paths.gzip));
  return { records: count, counted };
}
