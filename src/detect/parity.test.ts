import assert from 'node:assert/strict';
import { test } from 'node:test';
import { burst, place, type FailureSpec } from '../../test/helpers/records.js';
import { detect, signInsOf } from '../../test/helpers/scan.js';
import { formatTicks, parseTimestamp } from '../core/time.js';
import { resolveRuleConfig } from '../rule/config.js';
import { createDetector, restoreDetector } from './index.js';

const DAY = '2025-04-12T08:00:00Z';

test('31 failures from 3 locations alert, 30 do not', () => {
  assert.equal(detect(signInsOf(burst('a@x.com', DAY, 30, 3))).length, 0);

  const alerts = detect(signInsOf(burst('a@x.com', DAY, 31, 3)));
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].SigninCount, 31);
  assert.equal(alerts[0].LocationCount, 3);
});

test('2 locations do not alert, 3 do', () => {
  assert.equal(detect(signInsOf(burst('a@x.com', DAY, 40, 2))).length, 0);
  assert.equal(detect(signInsOf(burst('a@x.com', DAY, 40, 3))).length, 1);
});

test('thresholds are options', () => {
  const specs = burst('a@x.com', DAY, 12, 2);
  assert.equal(detect(signInsOf(specs)).length, 0);
  assert.equal(detect(signInsOf(specs), { failureThreshold: 10, locationThreshold: 2 }).length, 1);
});

test('a row without location counts as the location //', () => {
  const specs: FailureSpec[] = burst('a@x.com', DAY, 31, 2);
  specs[5] = { ...specs[5], place: null };
  const alerts = detect(signInsOf(specs));
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].LocationCount, 3);
  assert.ok(alerts[0].Location.includes('//'));
});

test('partial locations are distinct values', () => {
  const specs = burst('a@x.com', DAY, 31, 1).map((spec, i) => ({
    ...spec,
    place: i % 3 === 0 ? { countryOrRegion: 'US' } : i % 3 === 1 ? { countryOrRegion: 'US', state: 'Washington' } : { countryOrRegion: 'US', state: 'Washington', city: 'Seattle' },
  }));
  const alerts = detect(signInsOf(specs));
  assert.equal(alerts.length, 1);
  assert.deepEqual([...alerts[0].Location].sort(), ['US//', 'US/Washington/', 'US/Washington/Seattle']);
});

test('UPNs differing in case are separate groups', () => {
  const specs = burst('Alice@x.com', DAY, 40, 3).map((spec, i) => ({ ...spec, upn: i % 2 === 0 ? 'Alice@x.com' : 'alice@x.com' }));
  assert.equal(detect(signInsOf(specs)).length, 0);
});

test('interactive and non-interactive failures are never added', () => {
  const specs = burst('a@x.com', DAY, 40, 3).map((spec, i) => ({
    ...spec,
    table: i % 2 === 0 ? ('SigninLogs' as const) : ('AADNonInteractiveUserSignInLogs' as const),
  }));
  assert.equal(detect(signInsOf(specs)).length, 0);

  const both = detect(signInsOf([...burst('a@x.com', DAY, 31, 3), ...burst('a@x.com', DAY, 31, 3, 120, { table: 'AADNonInteractiveUserSignInLogs' })]));
  assert.deepEqual(
    both.map((alert) => alert.Type),
    ['SigninLogs', 'AADNonInteractiveUserSignInLogs'],
  );
});

test('OperationName matches ignoring ASCII case only', () => {
  const upper = burst('a@x.com', DAY, 31, 3, 120, { operationName: 'SIGN-IN ACTIVITY' });
  assert.equal(detect(signInsOf(upper)).length, 1);

  const trailingSpace = burst('a@x.com', DAY, 31, 3, 120, { operationName: 'Sign-in activity ' });
  assert.equal(detect(signInsOf(trailingSpace)).length, 0);

  // U+212A KELVIN SIGN lower-cases to "k" in JavaScript but is not ASCII; "Sign-in activity" has no k, so use a Unicode hyphen.
  const unicodeHyphen = burst('a@x.com', DAY, 31, 3, 120, { operationName: 'Sign\u2010in activity' });
  assert.equal(detect(signInsOf(unicodeHyphen)).length, 0);
});

test('ResultType must be one of the codes exactly', () => {
  assert.equal(detect(signInsOf(burst('a@x.com', DAY, 31, 3, 120, { code: '50057' }))).length, 0);
  assert.equal(detect(signInsOf(burst('a@x.com', DAY, 31, 3, 120, { code: 50055 }))).length, 1);
  for (const code of ['50126', '50053', '50055', '50056']) {
    assert.equal(detect(signInsOf(burst('a@x.com', DAY, 31, 3, 120, { code }))).length, 1, code);
  }
  assert.equal(detect(signInsOf(burst('a@x.com', DAY, 31, 3, 120, { code: '50057' })), { codes: '50057' }).length, 1);
});

test('make_set caps lists but counts stay exact', () => {
  const specs = burst('a@x.com', DAY, 150, 3).map((spec, i) => ({ ...spec, ip: `198.51.100.${i}` }));
  const [alert] = detect(signInsOf(specs));
  assert.equal(alert.IPAddressCount, 150);
  assert.equal(alert.IPAddress.length, 100);
  // First appearance in time: the earliest 100 addresses survive, in time order.
  assert.deepEqual(alert.IPAddress, specs.slice(0, 100).map((spec) => spec.ip));
});

test('Browser make_set skips missing values and keeps empty strings', () => {
  const specs = burst('a@x.com', DAY, 31, 3).map((spec, i) => ({ ...spec, browser: i === 0 ? null : i === 1 ? '' : 'Edge 120' }));
  const [alert] = detect(signInsOf(specs));
  assert.deepEqual(alert.Browser, ['', 'Edge 120']);
});

test('Name and UPNSuffix for guests and UPNs without @', () => {
  const [guest] = detect(signInsOf(burst('bob_fabrikam.com#EXT#@contoso.onmicrosoft.com', DAY, 31, 3)));
  assert.equal(guest.Name, 'bob_fabrikam.com#EXT#');
  assert.equal(guest.UPNSuffix, 'contoso.onmicrosoft.com');

  const [plain] = detect(signInsOf(burst('harry-potter-hogwarts.onmicrosoft.com', DAY, 31, 3)));
  assert.equal(plain.Name, 'harry-potter-hogwarts.onmicrosoft.com');
  assert.equal(plain.UPNSuffix, '');
});

test('input order does not change alerts', () => {
  const specs = [...burst('a@x.com', DAY, 45, 4), ...burst('b@x.com', DAY, 35, 3, 60, { table: 'AADNonInteractiveUserSignInLogs' })];
  for (const window of ['scheduled', 'sliding']) {
    const forward = detect(signInsOf(specs), { window });
    const reverse = detect(signInsOf([...specs].reverse()), { window });
    assert.equal(forward.length, 2, window);
    assert.deepEqual(reverse, forward, window);
  }
});

test('attack across midnight: scheduled misses, sliding catches', () => {
  const specs = burst('a@x.com', '2025-04-12T23:00:00Z', 50, 4, 120);
  assert.equal(detect(signInsOf(specs), { window: 'scheduled' }).length, 0);

  const sliding = detect(signInsOf(specs), { window: 'sliding' });
  assert.equal(sliding.length, 1);
  assert.equal(sliding[0].SigninCount, 50);
  assert.equal(formatTicks(sliding[0].FirstTriggeredAt!), specs[30].time);

  // A schedule aligned to noon puts the whole attack in one run.
  const noon = detect(signInsOf(specs), { window: 'scheduled', start: '2025-04-12T12:00:00Z' });
  assert.equal(noon.length, 1);
  assert.equal(formatTicks(noon[0].WindowStart), '2025-04-12T12:00:00.0000000Z');
  assert.equal(formatTicks(noon[0].WindowEnd), '2025-04-13T12:00:00.0000000Z');
});

test('scheduled window includes its start and excludes its end', () => {
  const specs = burst('a@x.com', '2025-04-12T22:00:00Z', 31, 3, 60);
  specs[30] = { ...specs[30], time: '2025-04-13T00:00:00.0000000Z' };
  assert.equal(detect(signInsOf(specs)).length, 0, 'the failure at 00:00 belongs to the next day');

  specs[30] = { ...specs[30], time: '2025-04-12T23:59:59.9999999Z' };
  const [alert] = detect(signInsOf(specs));
  assert.equal(formatTicks(alert.EndTime), '2025-04-12T23:59:59.9999999Z');
  assert.equal(formatTicks(alert.WindowStart), '2025-04-12T00:00:00.0000000Z');
});

test('scheduled runs with period longer than frequency overlap', () => {
  const specs = burst('a@x.com', '2025-04-12T10:00:00Z', 31, 3, 60);
  const alerts = detect(signInsOf(specs), { window: 'scheduled', frequency: '12h', period: '1d' });
  assert.deepEqual(
    alerts.map((alert) => formatTicks(alert.WindowEnd)),
    ['2025-04-12T12:00:00.0000000Z', '2025-04-13T00:00:00.0000000Z'],
  );
});

test('sliding periods merge while they overlap', () => {
  const first = burst('a@x.com', '2025-04-12T08:00:00Z', 40, 3, 600);
  const later = burst('a@x.com', '2025-04-14T08:00:00Z', 35, 3, 60);
  const alerts = detect(signInsOf([...first, ...later]), { window: 'sliding' });
  assert.equal(alerts.length, 2);
  assert.equal(alerts[0].SigninCount, 40);
  assert.equal(alerts[1].SigninCount, 35);
});

test('watermark flushing gives the same alerts as one finish', () => {
  const specs = [...burst('a@x.com', '2025-04-12T08:00:00Z', 40, 3), ...burst('a@x.com', '2025-04-15T08:00:00Z', 40, 4)];
  for (const window of ['scheduled', 'sliding']) {
    const rule = resolveRuleConfig({ window });
    const streaming = createDetector(rule);
    const flushed = [];
    for (const signIn of signInsOf(specs)) {
      streaming.add(signIn);
      flushed.push(...streaming.advanceWatermark(signIn.TimeGenerated - 1n));
    }
    flushed.push(...streaming.finish());
    assert.deepEqual(flushed, detect(signInsOf(specs), { window }), window);
    assert.equal(flushed.length, 2, window);
  }
});

test('snapshot and restore resume without loss', () => {
  const signIns = signInsOf([...burst('a@x.com', DAY, 40, 3), ...burst('b@x.com', DAY, 33, 4)]);
  for (const window of ['scheduled', 'sliding']) {
    const rule = resolveRuleConfig({ window });
    const before = createDetector(rule);
    signIns.slice(0, 37).forEach((signIn) => before.add(signIn));

    const text = JSON.stringify(before.snapshot());
    const after = restoreDetector(rule, JSON.parse(text));
    signIns.slice(37).forEach((signIn) => after.add(signIn));

    const alerts = after.finish();
    assert.equal(alerts.length, 2, window);
    assert.deepEqual(alerts, detect(signIns, { window }), window);
  }
});

test('times keep 100-ns precision into alerts', () => {
  const specs = burst('a@x.com', DAY, 31, 3).map((spec, i) => ({ ...spec, time: `2025-04-12T08:${String(i).padStart(2, '0')}:00.123456${i % 10}Z` }));
  const [alert] = detect(signInsOf(specs));
  assert.equal(formatTicks(alert.StartTime), '2025-04-12T08:00:00.1234560Z');
  assert.equal(formatTicks(alert.EndTime), '2025-04-12T08:30:00.1234560Z');
  assert.equal(alert.StartTime, parseTimestamp('2025-04-12T08:00:00.1234560Z'));
  void place;
});
