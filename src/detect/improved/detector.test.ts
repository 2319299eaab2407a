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
