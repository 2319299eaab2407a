/**
 * Writes samples/attack/distributed-cracking.json: diagnostic-settings records (storage PT1H.json layout)
 * derived from the real Datadog fixture records in samples/datadog-alfo (Apache-2.0), with the user,
 * time, result, IP and location varied to stage attacks. Deterministic: running it again gives the same bytes.
 *
 * Usage: node dist/scripts/make-attack-sample.js
 */
import { readFileSync, writeFileSync } from 'node:fs';

const SOURCE = 'samples/datadog-alfo/sign_in_logs.json';
const NON_INTERACTIVE_SOURCE = 'samples/datadog-alfo/non_interactive_user_sign_in_logs.json';
const TARGET = 'samples/attack/distributed-cracking.json';

type Json = Record<string, any>;

const interactive = JSON.parse(readFileSync(SOURCE, 'utf8').split(/\r?\n/)[0]) as Json;
const nonInteractive = JSON.parse(readFileSync(NON_INTERACTIVE_SOURCE, 'utf8').split(/\r?\n/)[0]) as Json;

// Documentation address ranges (RFC 5737, RFC 3849), so no real host is named.
const ATTACK_PLACES = [
  { ip: '203.0.113.10', city: 'Sao Paulo', state: 'Sao Paulo', countryOrRegion: 'BR' },
  { ip: '203.0.113.77', city: 'Lagos', state: 'Lagos', countryOrRegion: 'NG' },
  { ip: '198.51.100.23', city: 'Hanoi', state: 'Ha Noi', countryOrRegion: 'VN' },
  { ip: '198.51.100.201', city: 'Frankfurt am Main', state: 'Hesse', countryOrRegion: 'DE' },
  { ip: '2001:db8::5', city: '', state: '', countryOrRegion: '' },
];

let sequence = 0;
function guid(): string {
  sequence++;
  const hex = sequence.toString(16).padStart(12, '0');
  return `0f0e0d0c-0b0a-4998-8776-${hex}`;
}

function iso(base: number, offsetSeconds: number, fraction: string): string {
  return new Date(base + offsetSeconds * 1000).toISOString().slice(0, 19) + `.${fraction}Z`;
}

function failure(template: Json, upn: string, time: string, place: (typeof ATTACK_PLACES)[number], code: string, reason: string): Json {
  const record = structuredClone(template);
  const requestId = guid();
  const correlationId = guid();
  record.time = time;
  record.resultType = code;
  record.resultSignature = 'FAILURE';
  record.resultDescription = reason;
  record.callerIpAddress = place.ip;
  record.correlationId = correlationId;
  record.location = place.countryOrRegion || undefined;
  const properties = record.properties;
  properties.id = requestId;
  properties.originalRequestId = requestId;
  properties.correlationId = correlationId;
  properties.createdDateTime = time.replace('Z', '+00:00');
  properties.userPrincipalName = upn;
  properties.ipAddress = place.ip;
  properties.status = { errorCode: Number(code), failureReason: reason, additionalDetails: 'The user didn\'t enter the right credentials.' };
  properties.location = place.city === '' ? { geoCoordinates: {} } : { city: place.city, state: place.state, countryOrRegion: place.countryOrRegion, geoCoordinates: {} };
  properties.deviceDetail = { deviceId: '', operatingSystem: 'Windows 10', browser: 'Chrome 124.0.0' };
  properties.userAgent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
  return record;
}

const WRONG_PASSWORD = 'Invalid username or password or Invalid on-premises username or password.';
const records: Json[] = [];
const day = Date.UTC(2025, 3, 12, 9, 0, 0);

// 1. A distributed attack on one interactive account: 36 failures from 5 places in 3 hours (the rule fires).
for (let i = 0; i < 36; i++) {
  const place = ATTACK_PLACES[i % ATTACK_PLACES.length];
  records.push(failure(interactive, 'harry.potter@hogwarts.com', iso(day, i * 300 + (i % 7), `${1234567 + i}`), place, i % 9 === 8 ? '50053' : '50126', i % 9 === 8 ? 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.' : WRONG_PASSWORD));
}

// 2. Exactly at the threshold on the non-interactive table: 30 failures from 3 places (SigninCount > 30 fails, no alert).
for (let i = 0; i < 30; i++) {
  const place = ATTACK_PLACES[i % 3];
  records.push(failure(nonInteractive, 'Hermione.Granger@hogwarts.com', iso(day, 4000 + i * 240, '5000000'), place, '50126', WRONG_PASSWORD));
}

// 3. A user who mistyped a password a few times from home: no alert.
for (let i = 0; i < 4; i++) {
  records.push(failure(interactive, 'ron.weasley@hogwarts.com', iso(day, 9000 + i * 60, '0000001'), { ip: '68.198.218.175', city: 'Westfield', state: 'New Jersey', countryOrRegion: 'US' }, '50126', WRONG_PASSWORD));
}

// Newest first, as Graph and many exports deliver them.
records.sort((a, b) => (a.time < b.time ? 1 : -1));
writeFileSync(TARGET, records.map((record) => JSON.stringify(record)).join('\r\n') + '\r\n');
process.stdout.write(`wrote ${records.length} records to ${TARGET}\n`);
