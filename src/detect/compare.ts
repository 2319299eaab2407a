import type { SignIn } from '../core/signin.js';
import type { Ticks } from '../core/time.js';
import type { RuleConfig } from '../rule/config.js';
import type { ParityAlert } from './alert.js';
import type { Alert, Detector } from './detector.js';
import type { ImprovedAlert } from './improved/alert.js';
import { compareRows, foldUpn, type AttemptRow } from './improved/attempt.js';
import type { ImprovedDetector } from './improved/detector.js';
import type { FilterOutcome } from './rule-filter.js';
import { findQualifyingSpans } from './sliding.js';

/**
 * Feeds every sign-in to a parity and an improved detector, so one read of the input gives both results.
 * Its own alerts are the improved ones; the parity alerts are kept in `parityAlerts`.
 */
export class PairedDetector implements Detector {
  parityAlerts: ParityAlert[] = [];
  improvedAlerts: ImprovedAlert[] = [];

  constructor(
    readonly parity: Detector,
    readonly improved: ImprovedDetector,
  ) {}

  get rule(): RuleConfig {
    return this.improved.rule;
  }

  /** Returns the parity outcome, so the scan summary counts what the rule counts. */
  add(signIn: SignIn): FilterOutcome {
    this.improved.add(signIn);
    return this.parity.add(signIn);
  }

  advanceWatermark(watermark: Ticks): Alert[] {
    this.parityAlerts.push(...(this.parity.advanceWatermark(watermark) as ParityAlert[]));
    const alerts = this.improved.advanceWatermark(watermark);
    this.improvedAlerts.push(...alerts);
    return alerts;
  }

  finish(): Alert[] {
    this.parityAlerts.push(...(this.parity.finish() as ParityAlert[]));
    const alerts = this.improved.finish();
    this.improvedAlerts.push(...alerts);
    return alerts;
  }

  snapshot(): unknown {
    return { kind: 'paired', parity: this.parity.snapshot(), improved: this.improved.snapshot() };
  }
}

/** Reason only one mode raised an alert. */
export type DifferenceReason = 'duplicates' | 'unknown-locations' | 'case-split-upn' | 'table-split' | 'window-alignment' | 'other';

export interface Difference {
  readonly only: 'parity' | 'improved';
  readonly alert: Alert;
  readonly reasons: readonly { readonly code: DifferenceReason; readonly detail: string }[];
}

function overlaps(aStart: Ticks, aEnd: Ticks, bStart: Ticks, bEnd: Ticks): boolean {
  return aStart <= bEnd && bStart <= aEnd;
}

/** Tells whether some window of `period` contains more than the failure threshold of rows from enough distinct locations. */
function qualifies(rows: readonly AttemptRow[], rule: RuleConfig, period: Ticks): boolean {
  const sorted = [...rows].sort(compareRows);
  const failures = sorted.map((row) => ({ time: row.time, location: row.locationString }));
  return findQualifyingSpans(failures, period, rule.failureThreshold, rule.locationThreshold).length > 0;
}

function groupRows(rows: readonly AttemptRow[], key: (row: AttemptRow) => string): AttemptRow[][] {
  const groups = new Map<string, AttemptRow[]>();
  for (const row of rows) {
    const name = key(row);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [row]);
    else group.push(row);
  }
  return [...groups.values()];
}

/** Explains a parity alert that improved mode does not raise: it counted rows and location strings. */
function parityOnlyReasons(alert: ParityAlert, improved: ImprovedDetector, rule: RuleConfig): Difference['reasons'] {
  const attempts = improved.attemptsOf(alert.UserPrincipalName);
  const keys = new Set<string>();
  const known = new Set<string>();
  const raw = new Set<string>();
  let rows = 0;
  for (const attempt of attempts) {
    for (const row of attempt.rows) {
      if (row.userPrincipalName !== alert.UserPrincipalName || row.type !== alert.Type) continue;
      if (row.time < alert.StartTime || row.time > alert.EndTime) continue;
      rows++;
      keys.add(attempt.key);
      raw.add(row.locationString);
      if (attempt.location !== null) known.add(attempt.location);
    }
  }

  const reasons: { code: DifferenceReason; detail: string }[] = [];
  if (keys.size <= rule.failureThreshold && rows > rule.failureThreshold) {
    reasons.push({ code: 'duplicates', detail: `${rows} rows are ${keys.size} distinct attempts (needs more than ${rule.failureThreshold})` });
  }
  if (known.size < rule.locationThreshold && raw.size >= rule.locationThreshold) {
    reasons.push({
      code: 'unknown-locations',
      detail: `${raw.size} location strings but ${known.size} known ${rule.locationGranularity}-level locations; "//" and partial locations add none`,
    });
  }
  if (reasons.length === 0) reasons.push({ code: 'other', detail: 'the improved counts of this window differ for another reason; run --explain on the user' });
  return reasons;
}

/** Explains an improved alert that parity mode does not raise: it splits a user by letter case and table, and runs on a schedule. */
function improvedOnlyReasons(alert: ImprovedAlert, improved: ImprovedDetector, parityRule: RuleConfig): Difference['reasons'] {
  const rows: AttemptRow[] = [];
  for (const attempt of improved.attemptsOf(alert.UserPrincipalName)) {
    if (attempt.time < alert.StartTime || attempt.time > alert.EndTime) continue;
    rows.push(...attempt.rows);
  }
  const period = parityRule.window.period;
  const anyQualifies = (groups: AttemptRow[][]) => groups.some((group) => qualifies(group, parityRule, period));

  if (anyQualifies(groupRows(rows, (row) => `${row.userPrincipalName}\u0000${row.type}`))) {
    return [{ code: 'window-alignment', detail: 'the failures qualify within one sliding period, but the scheduled runs split them' }];
  }

  const reasons: { code: DifferenceReason; detail: string }[] = [];
  const variants = new Set(rows.map((row) => row.userPrincipalName));
  const tables = new Set(rows.map((row) => row.type));
  const caseFolded = anyQualifies(groupRows(rows, (row) => `${foldUpn(row.userPrincipalName)}\u0000${row.type}`));
  const tablesMerged = anyQualifies(groupRows(rows, (row) => row.userPrincipalName));
  if (caseFolded || (!tablesMerged && variants.size > 1)) {
    reasons.push({ code: 'case-split-upn', detail: `parity counts ${[...variants].sort().join(', ')} as ${variants.size} users` });
  }
  if (tablesMerged || (!caseFolded && tables.size > 1)) {
    reasons.push({ code: 'table-split', detail: `parity counts ${[...tables].sort().join(' and ')} separately` });
  }
  if (reasons.length === 0) reasons.push({ code: 'other', detail: 'no parity group of these rows qualifies; run --explain on the user' });
  return reasons;
}

/**
 * Lists the alerts only one mode raises. Alerts match when they are for the same case-folded user and their
 * failure spans (StartTime to EndTime) overlap.
 */
export function diffAlerts(paired: PairedDetector, parityRule: RuleConfig): Difference[] {
  const differences: Difference[] = [];
  const improvedByUser = new Map<string, ImprovedAlert[]>();
  for (const alert of paired.improvedAlerts) {
    const list = improvedByUser.get(alert.UserPrincipalName) ?? [];
    list.push(alert);
    improvedByUser.set(alert.UserPrincipalName, list);
  }
  const matchedImproved = new Set<ImprovedAlert>();

  for (const alert of paired.parityAlerts) {
    const candidates = improvedByUser.get(foldUpn(alert.UserPrincipalName)) ?? [];
    const match = candidates.filter((candidate) => overlaps(alert.StartTime, alert.EndTime, candidate.StartTime, candidate.EndTime));
    for (const candidate of match) matchedImproved.add(candidate);
    if (match.length === 0) differences.push({ only: 'parity', alert, reasons: parityOnlyReasons(alert, paired.improved, paired.improved.rule) });
  }
  for (const alert of paired.improvedAlerts) {
    if (!matchedImproved.has(alert)) differences.push({ only: 'improved', alert, reasons: improvedOnlyReasons(alert, paired.improved, parityRule) });
  }
  return differences;
}
