import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, formatTicks, parseDuration, parseTimestamp, startOfUtcDay, TICKS_PER_DAY, TimestampError } from './time.js';

const ticksOf = (iso: string): bigint => BigInt(Date.parse(iso)) * 10_000n;

test('ISO timestamp keeps the 7th fractional digit', () => {
  const ticks = parseTimestamp('2025-04-11T16:17:00.7397744Z');
  assert.equal(ticks, ticksOf('2025-04-11T16:17:00.739Z') + 7744n);
  assert.equal(formatTicks(ticks), '2025-04-11T16:17:00.7397744Z');
});

test('ISO timestamp forms parse to the same instant', () => {
  const expected = ticksOf('2025-04-11T16:15:30.543Z') + 1359n;
  const forms = [
    '2025-04-11T16:15:30.5431359Z',
    '2025-04-11T16:15:30.5431359+00:00',
    '2025-04-11T18:15:30.5431359+02:00',
    '2025-04-11T11:15:30.5431359-05:00',
    '2025-04-11T16:15:30.543135900Z',
    '2025-04-11 16:15:30.5431359Z',
  ];
  for (const form of forms) assert.equal(parseTimestamp(form), expected, form);
});

test('fractional digits from 0 to 9', () => {
  const base = ticksOf('2020-01-01T00:00:00Z');
  assert.equal(parseTimestamp('2020-01-01T00:00:00Z'), base);
  assert.equal(parseTimestamp('2020-01-01T00:00:00.1Z'), base + 1_000_000n);
  assert.equal(parseTimestamp('2020-01-01T00:00:00.12Z'), base + 1_200_000n);
  assert.equal(parseTimestamp('2020-01-01T00:00:00.123456Z'), base + 1_234_560n);
  // Digits below 100 ns are truncated, not rounded.
  assert.equal(parseTimestamp('2020-01-01T00:00:00.123456789Z'), base + 1_234_567n);
});

test('portal CSV timestamp is month first and UTC', () => {
  assert.equal(parseTimestamp('6/15/2026, 12:40:24.178 PM'), ticksOf('2026-06-15T12:40:24.178Z'));
  assert.equal(parseTimestamp('5/12/2021, 10:36:53.884 AM'), ticksOf('2021-05-12T10:36:53.884Z'));
  assert.equal(parseTimestamp('1/2/2021, 12:05:00 AM'), ticksOf('2021-01-02T00:05:00Z'));
});

test('timestamp without zone is rejected naming --time-zone', () => {
  assert.throws(() => parseTimestamp('2025-04-11T16:15:30'), (error: Error) => error instanceof TimestampError && /--time-zone/.test(error.message));
  assert.throws(() => parseTimestamp('1/9/2007 9:41:00 AM'), /--time-zone/);
});

test('ambiguous day/month order is rejected naming --time-format', () => {
  assert.throws(() => parseTimestamp('01/09/2007 09:41:00', { assumedOffsetMinutes: 0, slashDateOrder: null }), /--time-format/);
  assert.equal(
    parseTimestamp('01/09/2007 09:41:00', { assumedOffsetMinutes: 0, slashDateOrder: 'dmy' }),
    ticksOf('2007-09-01T09:41:00Z'),
  );
  assert.equal(parseTimestamp('25/09/2007 09:41:00', { assumedOffsetMinutes: 60, slashDateOrder: null }), ticksOf('2007-09-25T08:41:00Z'));
});

test('invalid calendar values are rejected', () => {
  assert.throws(() => parseTimestamp('2025-02-29T00:00:00Z'), TimestampError);
  assert.throws(() => parseTimestamp('2025-13-01T00:00:00Z'), TimestampError);
  assert.throws(() => parseTimestamp('2025-01-01T24:00:00Z'), TimestampError);
  assert.throws(() => parseTimestamp('yesterday'), TimestampError);
  assert.equal(parseTimestamp('2024-02-29T00:00:00Z'), ticksOf('2024-02-29T00:00:00Z'));
});

test('years below 100 and out-of-range offsets', () => {
  assert.equal(formatTicks(parseTimestamp('0099-01-01T00:00:00Z')), '0099-01-01T00:00:00.0000000Z');
  assert.throws(() => parseTimestamp('2025-01-01T00:00:00+25:00'), /offset/);
  assert.throws(() => parseTimestamp('2025-01-01T00:00:00+14:30'), /offset/);
  assert.equal(parseTimestamp('2025-01-01T14:00:00+14:00'), ticksOf('2025-01-01T00:00:00Z'));
});

test('formatTicks before 1970', () => {
  const ticks = parseTimestamp('1969-12-31T23:59:59.9999999Z');
  assert.equal(formatTicks(ticks), '1969-12-31T23:59:59.9999999Z');
});

test('durations parse and format', () => {
  assert.equal(parseDuration('1d'), TICKS_PER_DAY);
  assert.equal(parseDuration('12h'), TICKS_PER_DAY / 2n);
  assert.equal(parseDuration('1.5h'), 54_000_000_000n);
  assert.equal(parseDuration('0d'), null);
  assert.equal(parseDuration('1 week'), null);
  assert.equal(formatDuration(TICKS_PER_DAY), '1d');
  assert.equal(formatDuration(54_000_000_000n), '90m');
});

test('startOfUtcDay', () => {
  assert.equal(startOfUtcDay(parseTimestamp('2025-04-11T16:15:30.5431359Z')), ticksOf('2025-04-11T00:00:00Z'));
  assert.equal(startOfUtcDay(ticksOf('2025-04-11T00:00:00Z')), ticksOf('2025-04-11T00:00:00Z'));
});
