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
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([Zz]|[+-]\d{2}(?::?\d{2})?))?$/;

// "6/15/2026, 12:40:24.178 PM": the Log Analytics portal's CSV export of a datetime column.
const SLASH_PATTERN =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:\s*([AaPp][Mm]))?(?:\s*([Zz]|[+-]\d{2}(?::?\d{2})?))?$/;

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

/** Parses `Z`, `+hh`, `+hhmm` or `+hh:mm` into minutes east of UTC; offsets beyond ±14:00 do not exist. */
export function parseOffsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;

  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) {
    throw new TimestampError(`invalid UTC offset "${zone}": offsets range from -14:00 to +14:00`);
  }
  return sign * (hours * 60 + minutes);
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
  if (month < 1 || month > 12) throw new TimestampError(`invalid timestamp "${value}": month ${month} is out of range`);

  const maxDay = month === 2 && !isLeapYear(year) ? 28 : DAYS_IN_MONTH[month - 1];
  if (day < 1 || day > maxDay) throw new TimestampError(`invalid timestamp "${value}": day ${day} is out of range`);
  if (hour > 23 || minute > 59 || second > 59) {
    throw new TimestampError(`invalid timestamp "${value}": time of day is out of range`);
  }

  // Date.UTC maps years 0 to 99 onto 1900 to 1999, so the year is set on its own.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year);
  const epochMs = date.getTime() - offsetMinutes * 60_000;
  return BigInt(epochMs) * TICKS_PER_MILLISECOND + fractionToTicks(fraction);
}

/**
 * Parses an ISO 8601 timestamp (0 to 9 fractional digits, `Z` or an offset) or the portal's
 * `M/D/YYYY, h:mm:ss.fff AM` form into ticks. A value with no zone is accepted only when
 * `options.assumedOffsetMinutes` is set, because guessing the zone would mis-date every record.
 */
export function parseTimestamp(value: string, options: TimeParseOptions = DEFAULT_TIME_OPTIONS): Ticks {
  const text = value.trim();

  const iso = ISO_PATTERN.exec(text);
  if (iso !== null) {
    const offset = zoneOrAssumed(value, iso[8], options);
    return buildTicks(value, +iso[1], +iso[2], +iso[3], +iso[4], +iso[5], iso[6] === undefined ? 0 : +iso[6], iso[7], offset);
  }

  const slash = SLASH_PATTERN.exec(text);
  if (slash !== null) return parseSlashDate(value, slash, options);

  throw new TimestampError(
    `invalid timestamp "${truncateForMessage(value)}": expected ISO 8601 (2026-06-15T12:40:24.1780000Z) ` +
      `or M/D/YYYY, h:mm:ss AM; pass --time-format dmy for day-first dates`,
  );
}

function zoneOrAssumed(value: string, zone: string | undefined, options: TimeParseOptions): number {
  if (zone !== undefined) return parseOffsetMinutes(zone);
  if (options.assumedOffsetMinutes !== null) return options.assumedOffsetMinutes;

  throw new TimestampError(
    `timestamp "${truncateForMessage(value)}" has no time zone; pass --time-zone UTC (or an offset such as +02:00) ` +
      `to say which zone it is in`,
  );
}

function parseSlashDate(value: string, match: RegExpExecArray, options: TimeParseOptions): Ticks {
  const first = +match[1];
  const second = +match[2];
  const meridiem = match[8]?.toUpperCase();
  const hasComma = value.includes(',');
  let hour = +match[4];

  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) throw new TimestampError(`invalid timestamp "${truncateForMessage(value)}": hour ${hour} with ${meridiem}`);
    if (meridiem === 'AM' && hour === 12) hour = 0;
    if (meridiem === 'PM' && hour !== 12) hour += 12;
  }

  // "6/15/2026, 12:40:24.178 PM" (comma and AM/PM) is the Log Analytics portal's export, always month first and
  // in UTC (its header says "[UTC]"). Any other slash date was formatted with some machine's culture.
  const isPortalForm = hasComma && meridiem !== undefined;
  const order = options.slashDateOrder ?? inferSlashOrder(value, first, second, isPortalForm || meridiem !== undefined);
  const [month, day] = order === 'mdy' ? [first, second] : [second, first];

  let offset: number | null = match[9] !== undefined ? parseOffsetMinutes(match[9]) : options.assumedOffsetMinutes;
  if (offset === null && isPortalForm) offset = 0;
  if (offset === null) {
    throw new TimestampError(
      `timestamp "${truncateForMessage(value)}" has no time zone; pass --time-zone UTC (or an offset such as +02:00) ` +
        `to say which zone it is in`,
    );
  }

  return buildTicks(value, +match[3], month, day, hour, +match[5], match[6] === undefined ? 0 : +match[6], match[7], offset);
}

function inferSlashOrder(value: string, first: number, second: number, usClock: boolean): 'mdy' | 'dmy' {
  if (usClock) return 'mdy';
  if (first > 12 && second <= 12) return 'dmy';
  if (second > 12 && first <= 12) return 'mdy';

  throw new TimestampError(
    `timestamp "${truncateForMessage(value)}" could be day/month or month/day; pass --time-format mdy or dmy`,
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
