import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, test } from 'node:test';
import fc from 'fast-check';
import { corpusFolder } from '../../test/helpers/corpus.js';
import { formatDuration, formatTicks, parseDuration, parseTimestamp, startOfUtcDay, TICKS_PER_DAY, TICKS_PER_MILLISECOND, TimestampError, type TimeParseOptions } from './time.js';

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

test('ambiguous date names --time-zone only without a zone', () => {
  // A zone given by the value, or by the column or --time-zone (assumedOffsetMinutes), needs no advice about it.
  assert.throws(() => parseTimestamp('01/09/2007 09:41:00', { assumedOffsetMinutes: 0, slashDateOrder: null }), (error: Error) => !error.message.includes('--time-zone'));
  assert.throws(() => parseTimestamp('01/09/2007 09:41:00 +02:00', { assumedOffsetMinutes: null, slashDateOrder: null }), (error: Error) => !error.message.includes('--time-zone'));
  assert.throws(() => parseTimestamp('01/09/2007 09:41:00', { assumedOffsetMinutes: null, slashDateOrder: null }), /and --time-zone if it has no zone/);
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

const UTC_MDY: TimeParseOptions = { assumedOffsetMinutes: 0, slashDateOrder: 'mdy' };

function iso(value: string, options?: TimeParseOptions): string {
  return formatTicks(parseTimestamp(value, options));
}

describe('parseTimestamp', () => {
  it('reads 0 to 9 fractional digits', () => {
    assert.equal(iso('2025-04-11T16:17:00Z'), '2025-04-11T16:17:00.0000000Z');
    assert.equal(iso('2025-04-11T16:17:00.2Z'), '2025-04-11T16:17:00.2000000Z');
    assert.equal(iso('2025-04-11T16:17:00.22Z'), '2025-04-11T16:17:00.2200000Z');
    assert.equal(iso('2025-04-11T16:17:00.123Z'), '2025-04-11T16:17:00.1230000Z');
    assert.equal(iso('2025-04-11T16:17:00.992099+00:00'), '2025-04-11T16:17:00.9920990Z');
    assert.equal(iso('2025-04-11T16:17:00.7397744Z'), '2025-04-11T16:17:00.7397744Z');
    // Digits past the 7th are below the 100-ns resolution and are truncated, not rounded.
    assert.equal(iso('2007-01-09T09:41:00.535404056Z'), '2007-01-09T09:41:00.5354040Z');
    assert.equal(iso('2007-01-09T09:41:00.999999999Z'), '2007-01-09T09:41:00.9999999Z');
  });

  it('applies offsets in every written form', () => {
    assert.equal(iso('2007-01-09T11:41:00+02:00'), '2007-01-09T09:41:00.0000000Z');
    assert.equal(iso('2007-01-09T11:41:00+0200'), '2007-01-09T09:41:00.0000000Z');
    assert.equal(iso('2007-01-09T11:41:00+02'), '2007-01-09T09:41:00.0000000Z');
    assert.equal(iso('2022-06-01T04:41:00.12-05:00'), '2022-06-01T09:41:00.1200000Z');
    assert.equal(iso('2026-06-15 12:40:24 UTC'), '2026-06-15T12:40:24.0000000Z');
    assert.equal(iso('2026-06-15t12:40:24z'), '2026-06-15T12:40:24.0000000Z');
    assert.equal(iso('2026-01-01T05:29:59+05:30'), '2025-12-31T23:59:59.0000000Z');
  });

  it('reads the portal CSV form as month first UTC', () => {
    assert.equal(iso('6/15/2026, 12:40:24.178 PM'), '2026-06-15T12:40:24.1780000Z');
    assert.equal(iso('5/12/2021, 10:36:53.884 AM'), '2021-05-12T10:36:53.8840000Z');
    assert.equal(iso('1/2/2021, 12:00:00.000 AM'), '2021-01-02T00:00:00.0000000Z');
    assert.equal(iso('1/2/2021, 12:00:00.000 PM'), '2021-01-02T12:00:00.0000000Z');
  });

  it('reads Windows PowerShell /Date(ms)/ values', () => {
    assert.equal(iso('/Date(1744388220739)/'), '2025-04-11T16:17:00.7390000Z');
    assert.equal(iso('/Date(1744388220739+0200)/'), '2025-04-11T16:17:00.7390000Z');
  });

  it('reads day-first dates only when unambiguous', () => {
    assert.equal(iso('15/06/2026 12:40:24', { assumedOffsetMinutes: 0, slashDateOrder: null }), '2026-06-15T12:40:24.0000000Z');
    assert.equal(iso('15.06.2026 12:40', { assumedOffsetMinutes: 60, slashDateOrder: null }), '2026-06-15T11:40:00.0000000Z');
    assert.equal(iso('09.01.2007 09:41:00', { assumedOffsetMinutes: 0, slashDateOrder: 'dmy' }), '2007-01-09T09:41:00.0000000Z');
  });

  it('rejects a date whose day and month could swap', () => {
    for (const value of ['01/09/2007 09:41:00 +00:00', '1/9/2007 9:41:00 AM Z', '1/9/2007 10:41:00 AM +01:00']) {
      assert.throws(() => parseTimestamp(value), (error: unknown) => {
        assert.ok(error instanceof TimestampError);
        assert.match(error.message, /--time-format mdy or dmy/);
        assert.ok(error.message.includes(value));
        return true;
      });
    }
  });

  it('rejects a local time without zone', () => {
    for (const value of ['2007-01-09T09:41:00', '13/01/2007 09:41:00', '2007-01-09 09:41']) {
      assert.throws(() => parseTimestamp(value), (error: unknown) => {
        assert.ok(error instanceof TimestampError);
        assert.match(error.message, /--time-zone UTC/);
        assert.ok(error.message.includes(value));
        return true;
      });
    }
  });

  it('rejects values out of range', () => {
    for (const value of ['2025-02-29T00:00:00Z', '2025-13-01T00:00:00Z', '2025-01-01T24:00:00Z', '2025-01-01T23:59:60Z', '2025-01-01T00:00:00+15:00', '2025-01-01T00:00:00+02:75', 'yesterday', '', '2025-01-01', '1744388220']) {
      assert.throws(() => parseTimestamp(value), TimestampError, value);
    }
  });

  it('keeps years before 100 exact', () => {
    assert.equal(iso('0099-12-31T23:59:59Z'), '0099-12-31T23:59:59.0000000Z');
    assert.equal(iso('2000-02-29T00:00:00Z'), '2000-02-29T00:00:00.0000000Z');
  });

  it('round-trips any instant it formats', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -62_135_596_800_000n * TICKS_PER_MILLISECOND, max: 253_402_300_799_999n * TICKS_PER_MILLISECOND }), (ticks) => {
        assert.equal(parseTimestamp(formatTicks(ticks)), ticks);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with Date on millisecond ISO text', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -720, max: 840 }), (date, offset) => {
        const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        assert.equal(parseTimestamp(local + zone), BigInt(date.getTime()) * TICKS_PER_MILLISECOND);
      }),
      { numRuns: 2000 },
    );
  });
});

// Elastic's timestamp corner cases: every line means 2007-01-09T09:41:00 UTC, written eleven ways.
const CORPUS = corpusFolder();
const CORNER_CASES = path.join(CORPUS ?? '', 'elastic-integrations/test-time-formats-corner-cases.log');

describe('timestamp corner cases from the Elastic integration tests', () => {
  const present = CORPUS !== null && existsSync(CORNER_CASES);
  it('parse to one instant with --time-zone UTC --time-format mdy', { skip: present ? false : `${CORNER_CASES} not present` }, () => {
    const values = readFileSync(CORNER_CASES, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { time: string }).time);
    assert.equal(values.length, 11);
    for (const value of values) {
      const text = iso(value, UTC_MDY);
      assert.equal(text.slice(0, 19), '2007-01-09T09:41:00', value);
    }
  });

  it('reject only the values that need a guess', { skip: present ? false : `${CORNER_CASES} not present` }, () => {
    const values = readFileSync(CORNER_CASES, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { time: string }).time);
    const rejected = values.filter((value) => {
      try {
        parseTimestamp(value);
        return false;
      } catch (error) {
        assert.ok(error instanceof TimestampError);
        assert.match(error.message, /--time-(zone|format)/);
        return true;
      }
    });
    assert.deepEqual(rejected, [
      '01/09/2007 09:41:00',
      '1/9/2007 09:41:00',
      '01/09/2007 09:41:00 AM',
      '1/9/2007 9:41:00 AM',
      '1/9/2007 10:41:00 AM +01:00',
      '2007-01-09T09:41:00',
    ]);
  });
});
