import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

// Each fixture under test/fixtures/faults contains one counting fault of the Sentinel rule, in records derived
// from real published diagnostic-settings records (scripts/make-fault-fixtures.ts). Each test runs the
// built CLI in both modes and asserts the parity result (the rule's behaviour, fault included) beside the
// improved one.
const CLI = 'dist/cli/main.js';
const directory = mkdtempSync(join(tmpdir(), 'crackwatch-faults-'));
after(() => rmSync(directory, { recursive: true, force: true }));

interface AlertJson {
  UserPrincipalName: string;
  Type: string;
  SigninCount: number;
  LocationCount: number;
  Location: string[];
  [key: string]: any;
}

function scan(fixture: string, ...args: string[]): AlertJson[] {
  const output = execFileSync(process.execPath, [CLI, 'scan', `test/fixtures/faults/${fixture}.json`, '-q', '--output', 'json', ...args], { encoding: 'utf8' });
  return JSON.parse(output) as AlertJson[];
}

function compare(fixture: string): { Only: string; Reasons: { Code: string }[] }[] {
  const output = execFileSync(process.execPath, [CLI, 'scan', `test/fixtures/faults/${fixture}.json`, '-q', '--compare', '--output', 'json'], { encoding: 'utf8' });
  return JSON.parse(output) as { Only: string; Reasons: { Code: string }[] }[];
}

test('duplicated rows: parity counts rows', () => {
  const parity = scan('duplicates', '--mode', 'parity');
  const improved = scan('duplicates');
  assert.equal(parity.length, 1);
  assert.equal(parity[0].SigninCount, 40);
  assert.equal(improved.length, 0);
  assert.deepEqual(compare('duplicates').map((entry) => [entry.Only, entry.Reasons.map((reason) => reason.Code)]), [['parity', ['duplicates']]]);
});

test('duplicated rows: collapsed count is reported', () => {
  const improved = scan('duplicates', '--failure-threshold', '10');
  assert.equal(improved.length, 1);
  assert.equal(improved[0].SigninCount, 20);
  assert.equal(improved[0].DuplicateRowCount, 20);
  assert.equal(improved[0].Evidence.Failures.length, 20);
  assert.equal(improved[0].Evidence.Failures[0].Rows.length, 2);
  assert.match(improved[0].Evidence.Failures[0].Rows[0].File, /duplicates\.json$/);
  assert.ok(improved[0].Evidence.Failures[0].Rows[0].Line > 0);
});

test('overlapping files: rows read twice', () => {
  const output = (...args: string[]) => JSON.parse(execFileSync(process.execPath, [CLI, 'scan', 'test/fixtures/faults/overlap/', '-q', '--output', 'json', ...args], { encoding: 'utf8' })) as AlertJson[];
  const parity = output('--mode', 'parity');
  const improved = output();
  assert.equal(parity[0].SigninCount, 50);
  assert.equal(improved[0].SigninCount, 35);
  assert.equal(improved[0].DuplicateRowCount, 15);

  const twice = improved[0].Evidence.Failures.filter((failure: { Rows: unknown[] }) => failure.Rows.length === 2);
  assert.equal(twice.length, 15);
  const files = twice[0].Rows.map((row: { File: string }) => row.File).sort();
  assert.deepEqual(files, ['test/fixtures/faults/overlap/part-1.json', 'test/fixtures/faults/overlap/part-2.json']);
});

test('rows without Id collapse on OriginalRequestId', () => {
  assert.equal(scan('no-id', '--mode', 'parity')[0].SigninCount, 40);
  const improved = scan('no-id', '--failure-threshold', '10');
  assert.equal(improved[0].SigninCount, 20);
  assert.equal(improved[0].DuplicateRowCount, 20);
  assert.equal(improved[0].Evidence.Failures[0].Id, '');
});

test('shared CorrelationId does not merge attempts', () => {
  const parity = scan('shared-correlation', '--mode', 'parity');
  const improved = scan('shared-correlation');
  assert.equal(parity[0].SigninCount, 35);
  assert.equal(improved.length, 1);
  assert.equal(improved[0].SigninCount, 35);
  assert.equal(improved[0].DuplicateRowCount, 0);
  assert.equal(new Set(improved[0].Evidence.Failures.map((failure: { CorrelationId: string }) => failure.CorrelationId)).size, 1);
});

test('empty and partial locations add no location', () => {
  const parity = scan('unknown-locations', '--mode', 'parity');
  assert.equal(parity.length, 1);
  assert.equal(parity[0].LocationCount, 4);
  assert.ok(parity[0].Location.includes('//'));
  assert.ok(parity[0].Location.includes('US//'));
  assert.equal(scan('unknown-locations').length, 0);
  assert.deepEqual(compare('unknown-locations').map((entry) => entry.Reasons.map((reason) => reason.Code)), [['unknown-locations']]);

  const lowered = scan('unknown-locations', '--location-threshold', '2');
  assert.equal(lowered[0].LocationCount, 2);
  assert.equal(lowered[0].UnknownLocationCount, 17);
  const unknown = lowered[0].Evidence.Locations.filter((entry: { Known: boolean }) => !entry.Known).map((entry: { Location: string }) => entry.Location);
  assert.deepEqual(unknown.sort(), ['//', 'US//']);
});

test('country granularity keeps a country-only row', () => {
  const improved = scan('unknown-locations', '--location-threshold', '2', '--location-granularity', 'country');
  assert.equal(improved[0].LocationGranularity, 'country');
  assert.deepEqual([...improved[0].Location].sort(), ['BR', 'NG', 'US']);
  assert.equal(improved[0].UnknownLocationCount, 9);
});

test('case-split UPN: parity sees two users', () => {
  assert.equal(scan('case-split', '--mode', 'parity').length, 0);
  const improved = scan('case-split');
  assert.equal(improved.length, 1);
  assert.equal(improved[0].UserPrincipalName, 'harry.potter@hogwarts.com');
  assert.equal(improved[0].SigninCount, 40);
  assert.deepEqual(improved[0].UserPrincipalNameVariants, ['Harry.Potter@hogwarts.com', 'harry.potter@hogwarts.com']);
  assert.deepEqual(compare('case-split').map((entry) => entry.Reasons.map((reason) => reason.Code)), [['case-split-upn']]);
});

test('table split: parity counts tables apart', () => {
  assert.equal(scan('table-split', '--mode', 'parity').length, 0);
  const improved = scan('table-split');
  assert.equal(improved.length, 1);
  assert.equal(improved[0].Type, 'SigninLogs,AADNonInteractiveUserSignInLogs');
  assert.deepEqual(improved[0].SigninCountByTable, { SigninLogs: 20, AADNonInteractiveUserSignInLogs: 20 });
  assert.deepEqual(compare('table-split').map((entry) => entry.Reasons.map((reason) => reason.Code)), [['table-split']]);
});

test('50053 lockout and malicious IP split', () => {
  const parity = scan('lockout-vs-malicious-ip', '--mode', 'parity');
  assert.equal(parity[0].SigninCount, 35);
  const improved = scan('lockout-vs-malicious-ip');
  const kinds = Object.fromEntries(improved[0].Evidence.ResultTypes.map((entry: { Kind: string; Failures: number }) => [entry.Kind, entry.Failures]));
  assert.deepEqual(kinds, { 'invalid-credentials': 21, 'account-locked': 7, 'malicious-ip': 7 });
});

test('burst across midnight: scheduled runs split it', () => {
  assert.equal(scan('midnight', '--mode', 'parity').length, 0);
  assert.equal(scan('midnight', '--mode', 'parity', '--window', 'sliding').length, 1);
  const improved = scan('midnight');
  assert.equal(improved.length, 1);
  assert.equal(improved[0].SigninCount, 36);
  assert.deepEqual(compare('midnight').map((entry) => entry.Reasons.map((reason) => reason.Code)), [['window-alignment']]);
  assert.equal(scan('midnight', '--window', 'scheduled').length, 0);
});

test('later success raises severity to High', () => {
  const parity = scan('success-after-burst', '--mode', 'parity');
  assert.equal(parity.length, 1);
  assert.equal(parity[0].Severity, undefined);
  const improved = scan('success-after-burst');
  assert.equal(improved[0].Severity, 'High');
  const success = improved[0].Evidence.LaterSuccess;
  assert.equal(success.IPAddress, '203.0.113.77');
  assert.deepEqual(success.MatchedOn, ['IPAddress', 'Location']);
  assert.equal(success.TimeGenerated, '2025-04-12T12:05:00.1234567Z');
});

test('a failure the first pass cannot see keeps the success', () => {
  // The pre-filter passes over a ResultType of 5.0126e4, so the first pass counts 30 of bob's 31 failures and
  // leaves him out. The full pass counts 31, so the scan reads again with bob's successes kept.
  const at = (minute: number): string => new Date(Date.UTC(2026, 2, 2) + minute * 60_000).toISOString();
  const row = (upn: string, minute: number, resultType: string | number, ip: string, city: string, country: string, id: string): string =>
    JSON.stringify({ TimeGenerated: at(minute), Type: 'SigninLogs', OperationName: 'Sign-in activity', Id: id, UserPrincipalName: upn, ResultType: resultType, IPAddress: ip, LocationDetails: { city, state: '', countryOrRegion: country } });
  const places = [['Paris', 'FR', '203.0.113.1'], ['Lagos', 'NG', '203.0.113.2'], ['Lima', 'PE', '203.0.113.3']];
  const lines = Array.from({ length: 150 }, (_, i) => row(`u${i}@x.com`, i % 50, '0', '198.51.100.9', 'Oslo', 'NO', `s${i}`));
  for (let i = 0; i < 31; i++) lines.push(row('bob@x.com', 60 + i, i === 0 ? 50126 : '50126', places[i % 3][2], places[i % 3][0], places[i % 3][1], `a${i}`));
  lines.push(row('bob@x.com', 200, '0', '203.0.113.1', 'Paris', 'FR', 'later'));
  const file = join(directory, 'exponent.jsonl');
  writeFileSync(file, lines.join('\n').replace('"ResultType":50126', '"ResultType":5.0126e4') + '\n');

  const fromFile = JSON.parse(execFileSync(process.execPath, [CLI, 'scan', file, '-q', '--output', 'json'], { encoding: 'utf8' })) as AlertJson[];
  assert.equal(fromFile.length, 1);
  assert.equal(fromFile[0].SigninCount, 31);
  assert.equal(fromFile[0].Severity, 'High');
  assert.equal(fromFile[0].Evidence.LaterSuccess.Id, 'later');
});

test('later success survives the two passes', () => {
  // A file is read twice (candidate users, then everything); standard input once, keeping every success.
  const fixture = readFileSync('test/fixtures/faults/success-after-burst.json');
  const fromStdin = JSON.parse(execFileSync(process.execPath, [CLI, 'scan', '-', '-q', '--output', 'json'], { input: fixture, encoding: 'utf8' })) as AlertJson[];
  const fromFile = scan('success-after-burst');
  assert.equal(fromFile[0].Severity, 'High');
  assert.equal(fromStdin[0].Severity, 'High');
  assert.deepEqual(fromFile[0].Evidence.LaterSuccess.Id, fromStdin[0].Evidence.LaterSuccess.Id);
});

test('location evidence carries country and coordinates', () => {
  const locations = scan('success-after-burst')[0].Evidence.Locations;
  const lagos = locations.find((entry: { Location: string }) => entry.Location === 'NG/Lagos/Lagos');
  assert.equal(lagos.Country, 'NG');
  assert.deepEqual(lagos.Coordinates, { Latitude: 6.45407, Longitude: 3.39467 });

  const unknown = scan('unknown-locations', '--location-threshold', '2')[0].Evidence.Locations;
  const noLocation = unknown.find((entry: { Location: string }) => entry.Location === '//');
  assert.equal(noLocation.Country, '');
  assert.equal(noLocation.Coordinates, null);
  assert.equal(unknown.find((entry: { Location: string }) => entry.Location === 'US//').Country, 'US');
});

test('other users from the same IPs', () => {
  const improved = scan('success-after-burst');
  assert.deepEqual(
    improved[0].Evidence.OtherUsers.map((user: { UserPrincipalName: string; Failures: number }) => [user.UserPrincipalName, user.Failures]),
    [['ron.weasley@hogwarts.com', 5]],
  );
});

test('entities and MITRE mapping', () => {
  const alert = scan('success-after-burst')[0];
  assert.deepEqual(alert.Tactics, ['CredentialAccess']);
  assert.deepEqual(alert.Techniques, ['T1110']);
  assert.deepEqual(alert.Entities[0], { Type: 'account', FullName: 'harry.potter@hogwarts.com', Name: 'harry.potter', UPNSuffix: 'hogwarts.com' });
  assert.deepEqual(alert.Entities.slice(1).map((entity: { Address: string }) => entity.Address).sort(), ['198.51.100.23', '203.0.113.10', '203.0.113.77']);
});

test('one country: granularity decides', () => {
  assert.equal(scan('one-country', '--mode', 'parity').length, 1);
  assert.equal(scan('one-country').length, 1);
  assert.equal(scan('one-country', '--location-granularity', 'country').length, 0);
});

test('explain lists windows and exclusions', () => {
  const output = execFileSync(process.execPath, [CLI, 'scan', 'test/fixtures/faults/success-after-burst.json', '-q', '--explain', 'HARRY.POTTER@hogwarts.com'], { encoding: 'utf8' });
  assert.match(output, /Rows read: 37; counted attempts: 35; rows not counted: 2/);
  assert.match(output, /successful sign-in \(ResultType 0\), kept to find a success after a burst/);
  assert.match(output, /Windows considered \(sliding[^)]*\): 35/);
  assert.match(output, /\s31\s+3\s+0\s+yes\s+yes/);
  assert.match(output, /High: 35 attempts from 3 locations/);
});

test('explain shows duplicates as not counted', () => {
  const output = execFileSync(process.execPath, [CLI, 'scan', 'test/fixtures/faults/duplicates.json', '-q', '--explain', 'harry.potter@hogwarts.com'], { encoding: 'utf8' });
  assert.match(output, /Rows read: 40; counted attempts: 20; rows not counted: 20/);
  assert.equal(output.match(/duplicate row of an attempt/g)?.length, 20);
  assert.match(output, /Alerts: 0/);
});
