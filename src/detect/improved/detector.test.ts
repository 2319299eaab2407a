import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySignIn, type SignIn } from '../../core/signin.js';
import { TICKS_PER_MINUTE } from '../../core/time.js';
import { resolveRuleConfig } from '../../rule/config.js';
import { ImprovedDetector } from './detector.js';
import { toImprovedAlertRecord } from '../../sinks/improved-record.js';

const PLACES = [
  { ip: '203.0.113.10', city: 'Sao Paulo', state: 'Sao Paulo', countryOrRegion: 'BR' },
  { ip: '203.0.113.77', city: 'Lagos', state: 'Lagos', countryOrRegion: 'NG' },
  { ip: '198.51.100.23', city: 'Hanoi', state: 'Ha Noi', countryOrRegion: 'VN' },
];

function failures(count: number, upn = 'harry.potter@hogwarts.com'): SignIn[] {
  const rows: SignIn[] = [];
  for (let i = 0; i < count; i++) {
    const place = PLACES[i % 3];
    rows.push({
      ...emptySignIn({ file: 'a.json', line: i + 1, index: i + 1 }),
      TimeGenerated: 1_000_000_000n + BigInt(i) * 5n * TICKS_PER_MINUTE,
      Type: 'SigninLogs',
      OperationName: 'Sign-in activity',
      ResultType: '50126',
      UserPrincipalName: upn,
      IPAddress: place.ip,
      LocationDetails: { city: place.city, state: place.state, countryOrRegion: place.countryOrRegion },
      Id: `id-${upn}-${i}`,
    });
  }
  return rows;
}

function run(rows: readonly SignIn[]): string {
  const detector = new ImprovedDetector(resolveRuleConfig());
  for (const row of rows) detector.add(row);
  return JSON.stringify(detector.finish().map(toImprovedAlertRecord));
}

test('same alerts in any input order', () => {
  const rows = [...failures(35), ...failures(35).slice(0, 10)];
  const forward = run(rows);
  const backward = run([...rows].reverse());
  const shuffled = run([...rows].sort((a, b) => (a.Id < b.Id ? 1 : -1)));
  assert.notEqual(forward, '[]');
  assert.equal(backward, forward);
  assert.equal(shuffled, forward);
});

test('threshold is strictly greater', () => {
  assert.equal(run(failures(30)), '[]');
  assert.notEqual(run(failures(31)), '[]');
});

test('watermark emits once and forgets', () => {
  const detector = new ImprovedDetector(resolveRuleConfig());
  const rows = failures(35);
  for (const row of rows) detector.add(row);
  const last = rows[rows.length - 1].TimeGenerated;
  assert.equal(detector.advanceWatermark(last).length, 0);
  const day = 24n * 60n * TICKS_PER_MINUTE;
  assert.equal(detector.advanceWatermark(last + day).length, 1);
  assert.equal(detector.finish().length, 0);
});

test('scheduled watermark emits each run once', () => {
  const detector = new ImprovedDetector(resolveRuleConfig({ window: 'scheduled' }));
  const rows = failures(35);
  for (const row of rows) detector.add(row);
  const day = 24n * 60n * TICKS_PER_MINUTE;
  const runTime = rows[0].TimeGenerated - (rows[0].TimeGenerated % day) + day;

  assert.equal(detector.advanceWatermark(runTime - 1n).length, 0);
  const alerts = detector.advanceWatermark(runTime);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].WindowEnd, runTime);
  assert.equal(alerts[0].SigninCount, 35);
  assert.equal(detector.advanceWatermark(runTime + day).length, 0);
  assert.equal(detector.finish().length, 0);
  assert.equal(detector.counts().attempts, 0);
});

test('watermark keeps successes a burst can use', () => {
  const detector = new ImprovedDetector(resolveRuleConfig());
  const rows = failures(35);
  const last = rows[rows.length - 1].TimeGenerated;
  const day = 24n * 60n * TICKS_PER_MINUTE;
  const oldSuccess = { ...rows[1], Id: 'old-success', ResultType: '0', TimeGenerated: rows[0].TimeGenerated - 10n * day };
  const laterSuccess = { ...rows[1], Id: 'later-success', ResultType: '0', TimeGenerated: last + 1n };

  detector.add(oldSuccess);
  // Ten days later the old success is forgotten; it could raise no burst that is still possible.
  assert.equal(detector.advanceWatermark(rows[0].TimeGenerated - day).length, 0);
  for (const row of rows) detector.add(row);
  detector.add(laterSuccess);
  const alerts = detector.advanceWatermark(last + 2n * day);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].Severity, 'High');
  assert.equal(alerts[0].Evidence.LaterSuccess?.Id, 'later-success');
});

test('rows of an attempt sorted earliest first', () => {
  const [base] = failures(1);
  const copies = [3n, 1n, 2n].map((offset) => ({ ...base, TimeGenerated: base.TimeGenerated + offset, Source: { file: 'a.json', line: Number(offset), index: Number(offset) } }));
  const detector = new ImprovedDetector(resolveRuleConfig({ failureThreshold: 0, locationThreshold: 1 }));
  for (const copy of copies) detector.add(copy);

  const [alert] = detector.finish();
  assert.deepEqual(alert.Evidence.Failures[0].Rows.map((row) => row.Line), [1, 2, 3]);
  assert.equal(alert.StartTime, base.TimeGenerated + 1n);
  assert.equal(alert.DuplicateRowCount, 2);
});
