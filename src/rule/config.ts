import { formatDuration, parseDuration, parseTimestamp, type Ticks } from '../core/time.js';
import { LOCATION_GRANULARITIES, type LocationGranularity } from '../detect/improved/alert.js';
import { SENTINEL_RULE, type SetColumn } from './sentinel-rule.js';

export type DetectionMode = 'parity' | 'improved';
export type WindowKind = 'scheduled' | 'sliding';

/** The validated rule the detector runs: thresholds, codes, window and mode, with the Sentinel rule's values as defaults. */
export interface RuleConfig {
  readonly mode: DetectionMode;
  readonly operationName: string;
  readonly resultTypes: ReadonlySet<string>;
  readonly tables: readonly string[];
  /** An alert needs more than this many failures (SigninCount > failureThreshold). */
  readonly failureThreshold: number;
  /** An alert needs at least this many distinct locations (LocationCount >= locationThreshold). */
  readonly locationThreshold: number;
  readonly window: WindowConfig;
  readonly setCaps: Readonly<Record<SetColumn, number>>;
  /** Improved mode: which parts of LocationDetails make a location distinct. Parity mode ignores it. */
  readonly locationGranularity: LocationGranularity;
}

export type WindowConfig =
  | {
      readonly kind: 'scheduled';
      /** Time between runs (queryFrequency), in ticks. */
      readonly frequency: Ticks;
      /** Lookback of each run (queryPeriod), in ticks. */
      readonly period: Ticks;
      /** First run time; null means 00:00 UTC of the day of the earliest event. */
      readonly start: Ticks | null;
    }
  | {
      readonly kind: 'sliding';
      readonly period: Ticks;
    };

/** Options as the user gives them (command line or config file), all text or numbers, all optional. */
export interface RuleOptions {
  mode?: string;
  window?: string;
  failureThreshold?: string | number;
  locationThreshold?: string | number;
  codes?: string;
  period?: string;
  frequency?: string;
  start?: string;
  locationGranularity?: string;
}

/** A rule option that failed validation; `option` names it as the user wrote it. */
export class RuleConfigError extends Error {
  readonly code = 'CW_INVALID_OPTION';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`invalid ${option}: ${message}`);
    this.name = 'RuleConfigError';
  }
}

function parseCount(option: string, value: string | number | undefined, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;

  const text = typeof value === 'number' ? String(value) : value.trim();
  const number = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(number) || number < minimum) {
    throw new RuleConfigError(option, `"${value}" is not a whole number >= ${minimum}`);
  }
  return number;
}

function parsePeriod(option: string, value: string | undefined, fallback: string): Ticks {
  const ticks = parseDuration(value ?? fallback);
  if (ticks === null) {
    throw new RuleConfigError(option, `"${value}" is not a duration; use a number and a unit, e.g. 1d, 12h, 30m`);
  }
  return ticks;
}

function parseCodes(value: string | undefined): ReadonlySet<string> {
  if (value === undefined) return new Set(SENTINEL_RULE.resultTypes);

  const codes = value.split(',').map((code) => code.trim()).filter((code) => code.length > 0);
  const invalid = codes.find((code) => !/^\d+$/.test(code));
  if (codes.length === 0 || invalid !== undefined) {
    throw new RuleConfigError('--codes', `"${value}" must be a comma-separated list of numeric ResultType codes`);
  }
  return new Set(codes);
}

/** Reads --start: ISO 8601 with a zone, or without one (then UTC, as the option is documented), or a date for 00:00 UTC. */
function parseStart(value: string): Ticks {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T00:00:00Z` : value;
  try {
    return parseTimestamp(text, { assumedOffsetMinutes: 0, slashDateOrder: null });
  } catch {
    throw new RuleConfigError('--start', `"${value}" is not an ISO 8601 time such as 2025-04-12T12:00:00Z or a date such as 2025-04-12`);
  }
}

/** Validates user options and returns the rule to run; every error names the option to fix. */
export function resolveRuleConfig(options: RuleOptions = {}): RuleConfig {
  const mode = options.mode ?? 'improved';
  if (mode !== 'parity' && mode !== 'improved') {
    throw new RuleConfigError('--mode', `"${mode}" is not one of: parity, improved`);
  }

  const windowKind = options.window ?? (mode === 'parity' ? 'scheduled' : 'sliding');
  if (windowKind !== 'scheduled' && windowKind !== 'sliding') {
    throw new RuleConfigError('--window', `"${windowKind}" is not one of: scheduled, sliding`);
  }

  const period = parsePeriod('--period', options.period, SENTINEL_RULE.queryPeriod);
  let window: WindowConfig;
  if (windowKind === 'scheduled') {
    const frequency = parsePeriod('--frequency', options.frequency, SENTINEL_RULE.queryFrequency);
    // Sentinel requires the run interval to be at most the lookback, or rows between lookbacks are never read.
    if (frequency > period) {
      const which = options.frequency === undefined ? `the default ${formatDuration(frequency)}` : formatDuration(frequency);
      throw new RuleConfigError('--frequency', `${which} is longer than --period ${formatDuration(period)}, so rows between runs would never be read; pass a --frequency of at most the period`);
    }
    const start = options.start === undefined ? null : parseStart(options.start);
    window = { kind: 'scheduled', frequency, period, start };
  } else {
    if (options.frequency !== undefined) {
      throw new RuleConfigError('--frequency', 'applies only to --window scheduled; sliding windows have no runs');
    }
    window = { kind: 'sliding', period };
  }

  const locationGranularity = options.locationGranularity ?? 'city';
  if (!(LOCATION_GRANULARITIES as readonly string[]).includes(locationGranularity)) {
    throw new RuleConfigError('--location-granularity', `"${locationGranularity}" is not one of: ${LOCATION_GRANULARITIES.join(', ')}`);
  }

  return {
    mode,
    operationName: SENTINEL_RULE.operationName,
    resultTypes: parseCodes(options.codes),
    tables: SENTINEL_RULE.tables,
    failureThreshold: parseCount('--failure-threshold', options.failureThreshold, SENTINEL_RULE.failureThreshold, 0),
    locationThreshold: parseCount('--location-threshold', options.locationThreshold, SENTINEL_RULE.locationThreshold, 1),
    window,
    setCaps: SENTINEL_RULE.setCaps,
    locationGranularity: locationGranularity as LocationGranularity,
  };
}

/** Describes the rule in one line for summaries and reports. */
export function describeRule(rule: RuleConfig): string {
  const window =
    rule.window.kind === 'scheduled'
      ? `scheduled windows (every ${formatDuration(rule.window.frequency)}, lookback ${formatDuration(rule.window.period)})`
      : `sliding windows of ${formatDuration(rule.window.period)}`;
  const locations = rule.mode === 'improved' ? ` (known ${rule.locationGranularity}-level locations)` : '';
  return (
    `${rule.mode} mode, ${window}, SigninCount > ${rule.failureThreshold}, LocationCount >= ${rule.locationThreshold}${locations}, ` +
    `ResultType in (${[...rule.resultTypes].join(', ')})`
  );
}

