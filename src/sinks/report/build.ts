import { WARNING_TEXT } from '../../cli/summary.js';
import { formatDuration, formatTicks } from '../../core/time.js';
import { FRAMING_TEXT, SCHEMA_TEXT } from '../../decoders/layouts.js';
import { SKIP_REASON_TEXT } from '../../decoders/schemas/result.js';
import type { FileStats, ScanTotals } from '../../pipeline/stats.js';
import { describeRule, type RuleConfig } from '../../rule/config.js';
import type { AlertSummary, EvidenceFailure } from './alert-source.js';
import { buildAlert, failuresOf, NO_LOCATION, toMilliseconds } from './build-alert.js';
import type { SignInCollector } from './collect.js';
import type { WorldMap } from './geo.js';
import { IpUsersIndex } from './ip-users.js';
import type { LabelCount, OverviewSection, ReportAlert, ReportData, RuleSection, ScanSection } from './model.js';

export interface ReportInput {
  readonly files: readonly FileStats[];
  readonly totals: ScanTotals;
  readonly rule: RuleConfig;
  readonly alerts: readonly AlertSummary[];
  readonly collector: SignInCollector;
  readonly map: WorldMap;
  readonly toolVersion: string;
  readonly generatedAt: Date;
}

const SEVERITY_ORDER = ['High', 'Medium', 'Low', 'Informational'];
const TOP_ROWS = 15;

/** Builds every section of the report from a finished scan. */
export function buildReport(input: ReportInput): ReportData {
  const alerts: ReportAlert[] = [];
  // Overlapping windows can count a failure twice; the overview counts it once.
  const counted = new Map<string, EvidenceFailure>();
  const ipUsers = new IpUsersIndex(input.collector);
  const strings: string[] = [];
  const stringIndexes = new Map<string, number>();
  const intern = (text: string): number => {
    let index = stringIndexes.get(text);
    if (index === undefined) {
      index = strings.length;
      strings.push(text);
      stringIndexes.set(text, index);
    }
    return index;
  };

  for (const alert of input.alerts) {
    const failures = failuresOf(alert, input.collector);
    for (const failure of failures) counted.set(`${failure.upn.toLowerCase()}\u0000${failure.time}\u0000${failure.id}\u0000${failure.ip}`, failure);
    alerts.push(buildAlert(alert, failures, { collector: input.collector, rule: input.rule, map: input.map, ipUsers, intern }));
  }

  // Improved alerts name their locations' coordinates; the collector has those of parity scans.
  const coordinates = new Map(input.collector.coordinates);
  for (const alert of input.alerts) {
    for (const [location, point] of alert.evidence?.coordinates ?? []) if (!coordinates.has(location)) coordinates.set(location, point);
  }

  return {
    title: 'crackwatch report',
    generatedAt: input.generatedAt.toISOString(),
    toolVersion: input.toolVersion,
    scan: scanSection(input.files, input.totals),
    rule: ruleSection(input.rule),
    notes: collectorNotes(input.collector),
    overview: overviewSection(alerts, [...counted.values()], input.map, coordinates),
    alerts,
    strings,
  };
}

function labelCounts<K extends string>(map: Map<K, number>, names?: Record<string, string>): LabelCount[] {
  return [...map].sort((a, b) => b[1] - a[1]).map(([key, count]) => ({ label: names?.[key] ?? key, count }));
}

function scanSection(files: readonly FileStats[], totals: ScanTotals): ScanSection {
  return {
    files: files.map((file) => {
      let skipped = 0;
      for (const count of file.skipped.values()) skipped += count;
      let signIns = 0;
      for (const count of file.tables.values()) signIns += count;
      return {
        file: file.file,
        layouts: [...file.schemas.keys()].map((schema) => SCHEMA_TEXT[schema]).join(' + ') || 'no sign-in records',
        framing: FRAMING_TEXT[file.framing] + (file.compression === 'gzip' ? ', gzip' : '') + `, ${file.encoding}`,
        records: file.records,
        signIns,
        skipped,
        error: file.fatal,
      };
    }),
    records: totals.records,
    signIns: totals.mapped,
    counted: totals.counted,
    skipped: totals.skipped,
    skippedByReason: labelCounts(totals.skippedByReason, SKIP_REASON_TEXT),
    otherCategories: labelCounts(totals.otherCategories),
    tables: labelCounts(totals.tables),
    warnings: labelCounts(totals.warnings, WARNING_TEXT),
    earliest: totals.earliest === null ? null : formatTicks(totals.earliest),
    latest: totals.latest === null ? null : formatTicks(totals.latest),
  };
}

function ruleSection(rule: RuleConfig): RuleSection {
  const window =
    rule.window.kind === 'scheduled'
      ? `scheduled, every ${formatDuration(rule.window.frequency)} over the previous ${formatDuration(rule.window.period)}`
      : `sliding, ${formatDuration(rule.window.period)}`;
  return {
    mode: rule.mode,
    description: describeRule(rule),
    window,
    failureThreshold: rule.failureThreshold,
    locationThreshold: rule.locationThreshold,
    resultTypes: [...rule.resultTypes],
  };
}

function collectorNotes(collector: SignInCollector): string[] {
  const notes: string[] = [];
  if (collector.droppedFailures > 0) {
    notes.push(
      `The report kept the first ${collector.failures} counted failures in memory and dropped ${collector.droppedFailures}; ` +
        'alerts whose failures were dropped say so, and their tables are partial.',
    );
  }
  if (collector.droppedSuccesses > 0) {
    notes.push(
      `The report kept the first ${collector.successes} successful sign-ins and dropped ${collector.droppedSuccesses}; ` +
        'a later successful sign-in among the dropped ones is not shown.',
    );
  }
  return notes;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function overviewSection(
  alerts: readonly ReportAlert[],
  failures: readonly EvidenceFailure[],
  map: WorldMap,
  coordinates: ReadonlyMap<string, [number, number]>,
): OverviewSection {
  const severities = new Map<string, number>();
  const users = new Set<string>();
  for (const alert of alerts) {
    severities.set(alert.severity, (severities.get(alert.severity) ?? 0) + 1);
    users.add(alert.user.toLowerCase());
  }
  const alertsBySeverity = [...severities]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([label, count]) => ({ label, count }));

  // Buckets of an hour when the attacks span at most three days, else of a day.
  let first = Infinity;
  let last = -Infinity;
  for (const failure of failures) {
    const t = toMilliseconds(failure.time);
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const bucketSize = last - first <= 3 * DAY_MS ? HOUR_MS : DAY_MS;
  const buckets = new Map<number, { users: Set<string>; failures: number }>();
  for (const failure of failures) {
    const start = Math.floor(toMilliseconds(failure.time) / bucketSize) * bucketSize;
    let bucket = buckets.get(start);
    if (bucket === undefined) {
      bucket = { users: new Set(), failures: 0 };
      buckets.set(start, bucket);
    }
    bucket.users.add(failure.upn.toLowerCase());
    bucket.failures++;
  }
  const timeline = [];
  if (failures.length > 0) {
    for (let start = Math.floor(first / bucketSize) * bucketSize; start <= last; start += bucketSize) {
      const bucket = buckets.get(start);
      const iso = new Date(start).toISOString();
      timeline.push({
        bucket: bucketSize === HOUR_MS ? `${iso.slice(0, 13)}:00Z` : iso.slice(0, 10),
        bucketStart: start,
        users: bucket?.users.size ?? 0,
        failures: bucket?.failures ?? 0,
      });
    }
  }

  return {
    alertsBySeverity,
    attackedUsers: users.size,
    timeline,
    bucketLabel: bucketSize === HOUR_MS ? 'hour' : 'day',
    topIps: topRows(failures, (failure) => failure.ip, (failure) => failure.location).map((row) => ({
      ip: row.key,
      failures: row.failures,
      users: row.users,
      locations: row.others,
    })),
    topLocations: topRows(failures, (failure) => failure.location, (failure) => failure.ip).map((row) => ({
      location: row.key,
      failures: row.failures,
      users: row.users,
      ips: row.others,
      point: row.key === NO_LOCATION ? null : map.place(row.key, coordinates.get(row.key)),
    })),
  };
}

function rank(severity: string): number {
  const index = SEVERITY_ORDER.indexOf(severity);
  return index < 0 ? SEVERITY_ORDER.length : index;
}

/** Groups failures by `keyOf`, counting failures, distinct users and distinct `otherOf` values; returns the largest groups. */
function topRows(
  failures: readonly EvidenceFailure[],
  keyOf: (failure: EvidenceFailure) => string,
  otherOf: (failure: EvidenceFailure) => string,
): { key: string; failures: number; users: number; others: number }[] {
  const groups = new Map<string, { failures: number; users: Set<string>; others: Set<string> }>();
  for (const failure of failures) {
    const key = keyOf(failure);
    let group = groups.get(key);
    if (group === undefined) {
      group = { failures: 0, users: new Set(), others: new Set() };
      groups.set(key, group);
    }
    group.failures++;
    group.users.add(failure.upn.toLowerCase());
    group.others.add(otherOf(failure));
  }
  return [...groups]
    .sort((a, b) => b[1].failures - a[1].failures || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP_ROWS)
    .map(([key, group]) => ({ key, failures: group.failures, users: group.users.size, others: group.others.size }));
}
