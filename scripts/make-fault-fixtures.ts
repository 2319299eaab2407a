/**
 * Writes test/fixtures/faults/*.json: one small input per counting fault of the Sentinel rule, as Azure
 * Monitor diagnostic-settings records (storage PT1H.json layout) derived from the real Datadog fixture
 * records in samples/datadog-alfo (Apache-2.0), with user, time, result, IP and location varied.
 * Deterministic: running it again gives the same bytes.
 *
 * Usage: node dist/scripts/make-fault-fixtures.js
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

type Json = Record<string, any>;
interface Place {
  ip: string;
  city: string;
  state: string;
  countryOrRegion: string;
}

const TARGET = 'test/fixtures/faults';
const interactive = JSON.parse(readFileSync('samples/datadog-alfo/sign_in_logs.json', 'utf8').split(/\r?\n/)[0]) as Json;
const nonInteractive = JSON.parse(readFileSync('samples/datadog-alfo/non_interactive_user_sign_in_logs.json', 'utf8').split(/\r?\n/)[0]) as Json;

// Documentation address ranges (RFC 5737, RFC 3849), so no real host is named.
const SAO_PAULO: Place = { ip: '203.0.113.10', city: 'Sao Paulo', state: 'Sao Paulo', countryOrRegion: 'BR' };
const LAGOS: Place = { ip: '203.0.113.77', city: 'Lagos', state: 'Lagos', countryOrRegion: 'NG' };
const HANOI: Place = { ip: '198.51.100.23', city: 'Hanoi', state: 'Ha Noi', countryOrRegion: 'VN' };
const NO_LOCATION: Place = { ip: '2001:db8::5', city: '', state: '', countryOrRegion: '' };
const COUNTRY_ONLY: Place = { ip: '2001:db8::9', city: '', state: '', countryOrRegion: 'US' };
const RIO: Place = { ip: '203.0.113.40', city: 'Rio de Janeiro', state: 'Rio de Janeiro', countryOrRegion: 'BR' };
const BRASILIA: Place = { ip: '203.0.113.41', city: 'Brasilia', state: 'Distrito Federal', countryOrRegion: 'BR' };
const THREE_PLACES = [SAO_PAULO, LAGOS, HANOI];

const WRONG_PASSWORD = 'Invalid username or password or Invalid on-premises username or password.';
const LOCKED = 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.';
const MALICIOUS = 'Sign-in was blocked because it came from an IP address with malicious activity';

let sequence = 0;
function guid(): string {
  sequence++;
  return `0f0e0d0c-0b0a-4998-8776-${sequence.toString(16).padStart(12, '0')}`;
}

const BASE = Date.UTC(2025, 3, 12, 9, 0, 0);
function at(offsetSeconds: number): string {
  return new Date(BASE + offsetSeconds * 1000).toISOString().slice(0, 19) + '.1234567Z';
}

interface Options {
  template?: Json;
  upn?: string;
  code?: string;
  reason?: string;
  correlationId?: string;
  id?: string | null;
}

function signIn(time: string, place: Place, options: Options = {}): Json {
  const record = structuredClone(options.template ?? interactive);
  const code = options.code ?? '50126';
  const requestId = options.id === undefined ? guid() : options.id;
  const correlationId = options.correlationId ?? guid();
  const success = code === '0';
  record.time = time;
  record.resultType = code;
  record.resultSignature = success ? 'SUCCESS' : 'FAILURE';
  if (success) delete record.resultDescription;
  else record.resultDescription = options.reason ?? WRONG_PASSWORD;
  record.callerIpAddress = place.ip;
  record.correlationId = correlationId;
  record.location = place.countryOrRegion || undefined;
  const properties = record.properties;
  if (requestId === null) delete properties.id;
  else properties.id = requestId;
  properties.originalRequestId = requestId ?? options.correlationId ?? guid();
  properties.correlationId = correlationId;
  properties.createdDateTime = time.replace('Z', '+00:00');
  properties.userPrincipalName = options.upn ?? 'harry.potter@hogwarts.com';
  properties.ipAddress = place.ip;
  properties.status = success ? { errorCode: 0 } : { errorCode: Number(code), failureReason: options.reason ?? WRONG_PASSWORD };
  properties.location = place.city === '' && place.countryOrRegion === '' ? { geoCoordinates: {} } : { city: place.city, state: place.state, countryOrRegion: place.countryOrRegion, geoCoordinates: {} };
  properties.deviceDetail = { deviceId: '', operatingSystem: 'Windows 10', browser: 'Chrome 124.0.0' };
  properties.userAgent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
  return record;
}

const fixtures: Record<string, Json[]> = {};

// Duplicated rows: 20 attempts, each exported twice (same Id). Parity counts 40 rows; there are 20 attempts.
fixtures['duplicates'] = [];
for (let i = 0; i < 20; i++) {
  const record = signIn(at(i * 300), THREE_PLACES[i % 3]);
  fixtures['duplicates'].push(record, structuredClone(record));
}

// Rows without Id: OriginalRequestId identifies the attempt. 20 attempts, each twice.
fixtures['no-id'] = [];
for (let i = 0; i < 20; i++) {
  const record = signIn(at(i * 300), THREE_PLACES[i % 3], { id: null });
  fixtures['no-id'].push(record, structuredClone(record));
}

// 35 attempts in one session share a CorrelationId but each has its own Id: all count.
fixtures['shared-correlation'] = [];
for (let i = 0; i < 35; i++) fixtures['shared-correlation'].push(signIn(at(i * 300), THREE_PLACES[i % 3], { correlationId: 'aaaaaaaa-0000-4000-8000-000000000001' }));

// Empty and partial locations: 35 failures from 2 known cities, "//" and "US//". Parity counts 4 locations.
fixtures['unknown-locations'] = [];
for (let i = 0; i < 35; i++) fixtures['unknown-locations'].push(signIn(at(i * 300), [SAO_PAULO, LAGOS, NO_LOCATION, COUNTRY_ONLY][i % 4]));

// One user spelled two ways in one table: 20 + 20 failures. Parity counts two users with 20 each.
fixtures['case-split'] = [];
for (let i = 0; i < 40; i++) fixtures['case-split'].push(signIn(at(i * 300), THREE_PLACES[i % 3], { upn: i % 2 === 0 ? 'Harry.Potter@hogwarts.com' : 'harry.potter@hogwarts.com' }));

// One user's failures split over both tables: 20 interactive + 20 non-interactive.
fixtures['table-split'] = [];
for (let i = 0; i < 40; i++) fixtures['table-split'].push(signIn(at(i * 300), THREE_PLACES[i % 3], { template: i % 2 === 0 ? interactive : nonInteractive }));

// ResultType 50053 with both meanings: lockouts and a blocked malicious IP address, among 50126 failures.
fixtures['lockout-vs-malicious-ip'] = [];
for (let i = 0; i < 35; i++) {
  const options: Options = i % 5 === 3 ? { code: '50053', reason: LOCKED } : i % 5 === 4 ? { code: '50053', reason: MALICIOUS } : {};
  fixtures['lockout-vs-malicious-ip'].push(signIn(at(i * 300), THREE_PLACES[i % 3], options));
}

// 36 failures over four hours across midnight UTC: each daily run counts about half.
fixtures['midnight'] = [];
for (let i = 0; i < 36; i++) fixtures['midnight'].push(signIn(new Date(Date.UTC(2025, 3, 12, 22, 0, 0) + i * 400_000).toISOString().slice(0, 19) + '.5000000Z', THREE_PLACES[i % 3]));

// An attack followed by a success from an attacking address, and a second user failing from the same addresses.
fixtures['success-after-burst'] = [];
for (let i = 0; i < 35; i++) fixtures['success-after-burst'].push(signIn(at(i * 300), THREE_PLACES[i % 3]));
for (let i = 0; i < 5; i++) fixtures['success-after-burst'].push(signIn(at(i * 600 + 100), THREE_PLACES[i % 3], { upn: 'ron.weasley@hogwarts.com' }));
fixtures['success-after-burst'].push(signIn(at(35 * 300 + 600), LAGOS, { code: '0' }));
// A success before the burst from the same address does not raise the severity on its own.
fixtures['success-after-burst'].push(signIn(at(-3600), LAGOS, { code: '0' }));

// 35 failures from three cities of one country: three locations at city level, one at country level.
fixtures['one-country'] = [];
for (let i = 0; i < 35; i++) fixtures['one-country'].push(signIn(at(i * 300), [SAO_PAULO, RIO, BRASILIA][i % 3]));

mkdirSync(TARGET, { recursive: true });
for (const [name, records] of Object.entries(fixtures)) {
  // Newest first, as Graph and many exports deliver them.
  const sorted = [...records].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  writeFileSync(`${TARGET}/${name}.json`, sorted.map((record) => JSON.stringify(record)).join('\r\n') + '\r\n');
}
process.stdout.write(`wrote ${Object.keys(fixtures).length} fixtures to ${TARGET}\n`);
