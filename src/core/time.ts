/**
 * Timestamps as 100-nanosecond ticks since 1970-01-01T00:00:00Z, held in a bigint.
 *
 * Kusto's datetime has 100-ns resolution and Log Analytics exports keep 7 fractional digits, which a
 * JS Date (1 ms) or a double of ticks (2^53 ticks is only 28 years) cannot hold exactly.
 */

export type Ticks = bigint;

export const TICKS_PER_MILLISECOND = 10_000n;
export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_MINUTE = 60n * TICKS_PER_SECOND;
export const TICKS_PER_HOUR = 60n * TICKS_PER_MINUTE;
export const TICKS_PER_DAY = 24n * TICKS_PER_HOUR;

/** A timestamp that could not be read without guessing; the message names the value and the fix. */
export class TimestampError extends Error {
  readonly code = 'CW_INVALID_TIMESTAMP';
  constructor(message: string) {
    super(message);
    this.name = 'TimestampError';
  }
}

/** How to read timestamps that carry no zone or use a non-ISO form. */
export interface TimeParseOptions {
  /** Offset in minutes east of UTC assumed for a timestamp without a zone; null rejects such values. */
  assumedOffsetMinutes: number | null;
  /** Order of day and month in slash dates; null reads it from the form and rejects an ambiguous date. */
  slashDateOrder: 'mdy' | 'dmy' | null;
}

export const DEFAULT_TIME_OPTIONS: TimeParseOptions = { assumedOffsetMinutes: null, slashDateOrder: null };

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?$/;

// "6/15/2026, 12:40:24.178 PM" is the Log Analytics portal's CSV export of a datetime column. Other tools write
// dates in the machine's culture: "15/06/2026 12:40:24", "15.06.2026 12:40:24", "6-15-2026 12:40 PM".
const CULTURE_PATTERN =
  /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(,?)\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([AaPp]\.?[Mm]\.?))?(?:\s*([Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?$/;

// "/Date(1744388220739)/" or "/Date(1744388220739+0200)/": Windows PowerShell 5.1 ConvertTo-Json of a DateTime.
// The number is milliseconds since the epoch in UTC; the offset after it only records the writer's zone.
const DOTNET_DATE_PATTERN = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function fractionToTicks(fraction: string | undefined): bigint {
  if (fraction === undefined || fraction.length === 0) return 0n;

  // Digits past the 7th are below Kusto's resolution and are truncated, as Kusto does on ingestion.
  const seven = (fraction + '0000000').slice(0, 7);
  return BigInt(seven);
}

function parseOffsetMinutes(value: string, zone: string): number {
  if (zone === 'Z' || zone === 'z' || zone === 'UTC' || zone === 'GMT') return 0;

  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  // Real zones lie between -12:00 and +14:00; anything past that is a typo, not a zone.
  if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) {
    throw new TimestampError(`invalid timestamp "${truncateForMessage(value)}": offset ${zone} is out of range (-14:00 to +14:00)`);
  }
  return sign * (hours * 60 + minutes);
}

/** Counts days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil), valid for any year. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function buildTicks(
  value: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string | undefined,
  offsetMinutes: number,
): Ticks {
  if (month < 1 || month > 12) throw new TimestampError(`invalid timestamp "${truncateForMessage(value)}": month ${month} is out of range`);

  const maxDay = month === 2 && !isLeapYear(year) ? 28 : DAYS_IN_MONTH[month - 1];
  if (day < 1 || day > maxDay) throw new TimestampError(`invalid timestamp "${truncateForMessage(value)}": day ${day} is out of range`);
  if (hour > 23 || minute > 59 || second > 59) {
    throw new TimestampError(`invalid timestamp "${truncateForMessage(value)}": time of day is out of range`);
  }

  // Date.UTC would read years 0-99 as 1900-1999, so the day count is computed directly.
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  return BigInt(seconds) * TICKS_PER_SECOND + fractionToTicks(fraction);
}

/**
 * Parses a timestamp into ticks. Accepted forms: ISO 8601 with 0 to 9 fractional digits and `Z`, `UTC` or an
 * offset; the Log Analytics portal's `M/D/YYYY, h:mm:ss.fff AM`; culture-formatted dates such as
 * `15/06/2026 12:40:24` or `15.06.2026 12:40`; and `/Date(ms)/` from Windows PowerShell. A value with no zone
 * is accepted only when `options.assumedOffsetMinutes` is set, and a date whose day and month could be
 * swapped only when `options.slashDateOrder` is set, because guessing either would mis-date every record.
 */
export function parseTimestamp(value: string, options: TimeParseOptions = DEFAULT_TIME_OPTIONS): Ticks {
  const text = value.trim();

  const iso = ISO_PATTERN.exec(text);
  if (iso !== null) {
    const offset = zoneOrAssumed(value, iso[8], options);
    return buildTicks(value, +iso[1], +iso[2], +iso[3], +iso[4], +iso[5], iso[6] === undefined ? 0 : +iso[6], iso[7], offset);
  }

  const culture = CULTURE_PATTERN.exec(text);
  if (culture !== null) return parseCultureDate(value, culture, options);

  const dotnet = DOTNET_DATE_PATTERN.exec(text);
  if (dotnet !== null) return BigInt(dotnet[1]) * TICKS_PER_MILLISECOND;

  throw new TimestampError(
    `invalid timestamp "${truncateForMessage(value)}": expected ISO 8601 (2026-06-15T12:40:24.1780000Z), ` +
      `M/D/YYYY, h:mm:ss AM, or a day-month-year date with --time-format dmy and --time-zone`,
  );
}

function zoneOrAssumed(value: string, zone: string | undefined, options: TimeParseOptions): number {
  if (zone !== undefined) return parseOffsetMinutes(value, zone);
  if (options.assumedOffsetMinutes !== null) return options.assumedOffsetMinutes;

  throw new TimestampError(
    `timestamp "${truncateForMessage(value)}" has no time zone; pass --time-zone UTC (or an offset such as +02:00) ` +
      `to say which zone it is in`,
  );
}

function parseCultureDate(value: string, match: RegExpExecArray, options: TimeParseOptions): Ticks {
  const first = +match[1];
  const separator = match[2];
  const second = +match[3];
  const hasComma = match[5] === ',';
  const meridiem = match[10]?.replace(/\./g, '').toUpperCase();
  let hour = +match[6];

  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) throw new TimestampError(`invalid timestamp "${truncateForMessage(value)}": hour ${hour} with ${meridiem}`);
    if (meridiem === 'AM' && hour === 12) hour = 0;
    if (meridiem === 'PM' && hour !== 12) hour += 12;
  }

  // Only the portal's own form (slashes, a comma and AM/PM) is known to be month first and in UTC: its header
  // says "[UTC]". AM/PM alone does not settle the order, because en-AU and en-IN write day first with AM/PM.
  const isPortalForm = separator === '/' && hasComma && meridiem !== undefined;
  const zoneKnown = match[11] !== undefined || options.assumedOffsetMinutes !== null;
  const order = options.slashDateOrder ?? (isPortalForm ? 'mdy' : inferDateOrder(value, first, second, zoneKnown));
  const [month, day] = order === 'mdy' ? [first, second] : [second, first];

  let offset: number | null = match[11] !== undefined ? parseOffsetMinutes(value, match[11]) : options.assumedOffsetMinutes;
  if (offset === null && isPortalForm) offset = 0;
  if (offset === null) {
    throw new TimestampError(
      `timestamp "${truncateForMessage(value)}" has no time zone; pass --time-zone UTC (or an offset such as +02:00) ` +
        `to say which zone it is in`,
    );
  }

  return buildTicks(value, +match[4], month, day, hour, +match[7], match[8] === undefined ? 0 : +match[8], match[9], offset);
}

function inferDateOrder(value: string, first: number, second: number, zoneKnown: boolean): 'mdy' | 'dmy' {
  if (first > 12 && second <= 12) return 'dmy';
  if (second > 12 && first <= 12) return 'mdy';

  // The zone is known when the value has one, or when the column or --time-zone gives it (Date (UTC)).
  throw new TimestampError(
    `timestamp "${truncateForMessage(value)}" could be day/month or month/day; pass --time-format mdy or dmy` +
      (zoneKnown ? '' : ' (and --time-zone if it has no zone)'),
  );
}

/** Formats ticks as ISO 8601 UTC with all 7 fractional digits, e.g. 2026-06-15T12:40:24.1780000Z. */
export function formatTicks(ticks: Ticks): string {
  const epochMs = ticks >= 0n ? ticks / TICKS_PER_MILLISECOND : -((-ticks + TICKS_PER_MILLISECOND - 1n) / TICKS_PER_MILLISECOND);
  const subMs = ticks - epochMs * TICKS_PER_MILLISECOND;
  const iso = new Date(Number(epochMs)).toISOString();
  const subText = subMs.toString().padStart(4, '0');
  return `${iso.slice(0, 23)}${subText}Z`;
}

/** Returns the first tick of the UTC day that contains `ticks`. */
export function startOfUtcDay(ticks: Ticks): Ticks {
  const remainder = ((ticks % TICKS_PER_DAY) + TICKS_PER_DAY) % TICKS_PER_DAY;
  return ticks - remainder;
}

const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_TICKS: Record<string, bigint> = {
  ms: TICKS_PER_MILLISECOND,
  s: TICKS_PER_SECOND,
  m: TICKS_PER_MINUTE,
  h: TICKS_PER_HOUR,
  d: TICKS_PER_DAY,
};

/** Parses a Kusto-style timespan such as `1d`, `12h`, `30m`, `90s` or `1.5h` into ticks; returns null if invalid. */
export function parseDuration(text: string): Ticks | null {
  const match = DURATION_PATTERN.exec(text.trim());
  if (match === null) return null;

  const [whole, fraction = ''] = match[1].split('.');
  const scale = 10n ** BigInt(fraction.length);
  const ticks = (BigInt(whole + fraction) * UNIT_TICKS[match[2]]) / scale;
  return ticks > 0n ? ticks : null;
}

/** Formats a duration in ticks in the largest whole unit, e.g. 864000000000n → "1d". */
export function formatDuration(ticks: Ticks): string {
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const size = UNIT_TICKS[unit];
    if (ticks % size === 0n) return `${ticks / size}${unit}`;
  }
  return `${ticks * 100n}ns`;
}

function truncateForMessage(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

/** Parses a `--time-zone` style offset (`Z`, `UTC`, `+hh:mm`, `+hhmm`) into minutes east of UTC. */
export function parseUtcOffset(zone: string): number {
  return parseOffsetMinutes(zone, zone);
}

/** Parses an optional timestamp that no rule step reads: null when it is missing or cannot be read. */
export function parseOptionalTimestamp(value: unknown, options: TimeParseOptions = DEFAULT_TIME_OPTIONS): Ticks | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  try {
    return parseTimestamp(value, options);
  } catch {
    return null;
  }
}
