import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySignIn, type SignIn } from '../../core/signin.js';
import { formatTicks, parseTimestamp } from '../../core/time.js';
import { createDetector } from '../../detect/index.js';
import { totalsOf, newFileStats } from '../../pipeline/stats.js';
import { resolveRuleConfig, type RuleConfig } from '../../rule/config.js';
import { toAlertSummary } from './alert-source.js';
import { buildReport } from './build.js';
import { SignInCollector } from './collect.js';
import { WorldMap } from './geo.js';

const map = new WorldMap();
const BASE = Date.parse('2025-04-12T09:00:00Z');

function signIn(minute: number, fields: Partial<SignIn> & { location?: [string, string, string] }): SignIn {
  const record = emptySignIn({ file: 'signins.json', line: minute + 1, index: minute + 1 });
  const [country, state, city] = fields.location ?? ['', '', ''];
  Object.assign(record, {
    TimeGenerated: parseTimestamp(new Date(BASE + minute * 60_000).toISOString()),
    Type: 'SigninLogs',
    OperationName: 'Sign-in activity',
    ResultType: '50126',
    ResultDescription: 'Invalid username or password',
    IPAddress: '203.0.113.1',
    Id: `id-${minute}-${fields.UserPrincipalName}`,
    CorrelationId: `corr-${minute}`,
    LocationDetails: { countryOrRegion: country, state, city, geoCoordinates: {} },
    ...fields,
  });
  delete (record as { location?: unknown }).location;
  return record;
}

/** 40 failures for alice from four places, 5 for bob from one of alice's IPs, and alice's success afterwards. */
function attack(): SignIn[] {
  const places: [string, string, string][] = [
    ['DE', 'Hesse', 'Frankfurt am Main'],
    ['BR', 'Sao Paulo', 'Sao Paulo'],
    ['VN', 'Ha Noi', 'Hanoi'],
    ['NG', 'Lagos', 'Lagos'],
  ];
  const records: SignIn[] = [];
  for (let i = 0; i < 40; i++) {
    // The fourth place appears only from the 35th failure on, so the thresholds hold at the 31st failure.
    const place = i < 34 ? i % 3 : i % 4;
    records.push(signIn(i, { UserPrincipalName: 'alice@contoso.com', IPAddress: `198.51.100.${place + 1}`, location: places[place] }));
  }
  for (let i = 0; i < 5; i++) records.push(signIn(50 + i, { UserPrincipalName: 'bob@contoso.com', IPAddress: '198.51.100.2', location: places[1] }));
  records.push(signIn(90, { UserPrincipalName: 'Alice@Contoso.com', ResultType: '0', IPAddress: '198.51.100.3', location: places[2] }));
  return records;
}

const PARITY = resolveRuleConfig({ mode: 'parity' });
const IMPROVED = resolveRuleConfig({ mode: 'improved' });

function report(records: SignIn[], rule: RuleConfig = PARITY, collector = new SignInCollector(rule)) {
  const detector = createDetector(rule);
  const stats = newFileStats('signins.json');
  for (const record of records) {
    stats.records++;
    detector.add(record);
    collector.add(record);
  }
  const alerts = detector.finish();
  return buildReport({
    files: [stats],
    totals: totalsOf([stats]),
    rule,
    alerts: alerts.map(toAlertSummary),
    collector,
    map,
    toolVersion: 'test',
    generatedAt: new Date(0),
  });
}

test('alert tables add up to the alert counts', () => {
  const data = report(attack());
  assert.equal(data.alerts.length, 1);
  const alert = data.alerts[0];

  assert.equal(alert.user, 'alice@contoso.com');
  assert.equal(alert.failureCount, 40);
  assert.equal(alert.locations.length, 4);
  assert.equal(alert.locations.reduce((sum, row) => sum + row.failures, 0), 40);
  assert.equal(alert.ips.reduce((sum, row) => sum + row.failures, 0), 40);
  assert.deepEqual(alert.resultTypes, [{ code: '50126', description: 'Invalid username or password', failures: 40 }]);
  assert.equal(alert.failures.length, 40);
  assert.deepEqual(alert.evidenceNotes, ['Locations whose records carry no geoCoordinates are drawn at the centre of their country.']);
});

test('thresholds moment is the 31st failure', () => {
  const alert = report(attack()).alerts[0];
  assert.equal(alert.thresholdsMetAt, formatTicks(parseTimestamp(new Date(BASE + 30 * 60_000).toISOString())));
});

test('later success matches an attacking IP', () => {
  const success = report(attack()).alerts[0].laterSuccess;
  assert.ok(success !== null);
  assert.equal(success.ip, '198.51.100.3');
  assert.equal(success.matchedOn, 'an attacking IP and an attacking location');
  assert.equal(success.source, 'signins.json:91');
});

test('success from elsewhere is not a later success', () => {
  const records = attack();
  records[records.length - 1] = signIn(90, { UserPrincipalName: 'alice@contoso.com', ResultType: '0', IPAddress: '192.0.2.50', location: ['GB', 'England', 'London'] });
  assert.equal(report(records).alerts[0].laterSuccess, null);
});

test('other users from the same IPs are listed', () => {
  const alert = report(attack()).alerts[0];
  assert.deepEqual(alert.otherUsers, [{ user: 'bob@contoso.com', failures: 5, ips: ['198.51.100.2'] }]);
  assert.equal(alert.otherUsersTotal, 1);
  assert.equal(alert.otherUsersNote, null);
});

test('other users beyond the per-IP list are noted', () => {
  const records = attack();
  for (let user = 0; user < 12; user++) {
    records.push(signIn(60 + user, { UserPrincipalName: `sprayed${user}@contoso.com`, IPAddress: '198.51.100.1', location: ['DE', 'Hesse', 'Frankfurt am Main'] }));
  }
  const alert = report(records).alerts[0];

  // bob shares another IP; the lower bound counts only the 12 users of the busiest IP.
  assert.equal(alert.otherUsers.length, 10);
  assert.equal(alert.otherUsersTotal, 12);
  assert.match(alert.otherUsersNote ?? '', /At least 12 other users/);
});

test('overview counts users, IPs and locations', () => {
  const data = report(attack());
  assert.equal(data.overview.attackedUsers, 1);
  assert.deepEqual(data.overview.alertsBySeverity, [{ label: 'Medium', count: 1 }]);
  assert.equal(data.overview.topIps.reduce((sum, row) => sum + row.failures, 0), 40);
  assert.equal(data.overview.timeline.reduce((sum, row) => sum + row.failures, 0), 40);
  assert.equal(data.overview.bucketLabel, 'hour');
  assert.ok(data.overview.topLocations.every((row) => row.point?.source === 'country-centroid'));
});

test('collector limit is reported', () => {
  const rule = PARITY;
  const collector = new SignInCollector(rule, { maxFailures: 35, maxSuccesses: 0 });
  const data = report(attack(), rule, collector);

  assert.equal(collector.droppedFailures, 10);
  assert.equal(collector.droppedSuccesses, 1);
  assert.equal(data.notes.length, 2);
  assert.equal(data.alerts[0].failures.length, 35);
  assert.match(data.alerts[0].evidenceNotes[0], /kept 35 of the 40 failures/);
  assert.equal(data.alerts[0].laterSuccess, null);
});

test('improved alert evidence fills the report', () => {
  const data = report(attack(), IMPROVED);
  assert.equal(data.rule.mode, 'improved');
  assert.equal(data.alerts.length, 1);
  const alert = data.alerts[0];

  assert.equal(alert.severity, 'High', 'the later success raises the severity');
  assert.equal(alert.failureCount, 40);
  assert.equal(alert.failures.length, 40);
  assert.equal(alert.locations.reduce((sum, row) => sum + row.failures, 0), 40);
  assert.deepEqual(alert.improved, { duplicateRows: 0, unknownLocations: 0, granularity: 'city' });
  assert.equal(alert.laterSuccess?.ip, '198.51.100.3');
  assert.equal(alert.laterSuccess?.source, 'signins.json:91');
  assert.deepEqual(alert.resultTypes, [{ code: '50126', description: 'Invalid user name or password', failures: 40 }]);
  assert.deepEqual(data.overview.alertsBySeverity, [{ label: 'High', count: 1 }]);
});

test('improved alert lists unknown locations', () => {
  const records = attack();
  // Two failures without location data count as unknown locations in improved mode.
  records[0] = signIn(0, { UserPrincipalName: 'alice@contoso.com', IPAddress: '198.51.100.9' });
  records[1] = signIn(1, { UserPrincipalName: 'alice@contoso.com', IPAddress: '198.51.100.9' });
  const alert = report(records, IMPROVED).alerts[0];

  assert.equal(alert.improved?.unknownLocations, 2);
  assert.ok(alert.locations.some((row) => row.name === '//' || row.name === ''), 'the unknown location is listed');
});

test('improved alert places locations by its own coordinates', () => {
  const records = attack().map((record) => {
    const details = record.LocationDetails as { countryOrRegion: string };
    if (details.countryOrRegion === 'DE') return { ...record, LocationDetails: { ...details, geoCoordinates: { latitude: 50.11, longitude: 8.68 } } };
    return record;
  });
  const detector = createDetector(IMPROVED);
  for (const record of records) detector.add(record);
  const stats = newFileStats('signins.json');
  const data = buildReport({
    files: [stats],
    totals: totalsOf([stats]),
    rule: IMPROVED,
    alerts: detector.finish().map(toAlertSummary),
    // An empty collector: every coordinate must come from the alert's evidence.
    collector: new SignInCollector(IMPROVED, undefined, false),
    map,
    toolVersion: 'test',
    generatedAt: new Date(0),
  });
  const frankfurt = data.alerts[0].locations.find((row) => row.name === 'DE/Hesse/Frankfurt am Main');

  assert.equal(frankfurt?.point?.source, 'record');
  assert.deepEqual({ x: frankfurt?.point?.x, y: frankfurt?.point?.y }, map.project(50.11, 8.68));
  assert.equal(data.overview.topLocations.find((row) => row.location === 'DE/Hesse/Frankfurt am Main')?.point?.source, 'record');
});
