import { formatTicks, TICKS_PER_MILLISECOND, type Ticks } from '../../core/time.js';
import type { RuleConfig } from '../../rule/config.js';
import { sourceText, type AlertSummary, type EvidenceFailure } from './alert-source.js';
import type { CollectedSignIn, SignInCollector } from './collect.js';
import type { WorldMap } from './geo.js';
import type { IpUsersIndex } from './ip-users.js';
import type { AlertFailure, AlertIp, AlertLocation, LaterSuccess, ReportAlert } from './model.js';

/** Per-alert limits that keep the HTML file small enough to open with 10,000 alerts. */
export const ALERT_LIMITS = {
  /** Failures embedded per alert for the timeline and the evidence table. */
  failures: 2000,
  /** User agents listed per IP. */
  userAgents: 10,
  /** Other users listed per alert. */
  otherUsers: 10,
};

/** The rule's location string for rows without location data. */
export const NO_LOCATION = '//';

export function toMilliseconds(ticks: Ticks): number {
  return Number(ticks / TICKS_PER_MILLISECOND);
}

/** Returns the failures an alert counted, in time order: its own evidence, else the collected ones. */
export function failuresOf(alert: AlertSummary, collector: SignInCollector): readonly EvidenceFailure[] {
  if (alert.evidence !== null) return alert.evidence.failures;

  const failures: CollectedSignIn[] = [];
  for (const index of collector.ofUser(alert.user)) {
    if (!collector.isFailure(index)) continue;
    const time = collector.timeOf(index);
    if (time < alert.windowStart || time >= alert.windowEnd) continue;
    const failure = collector.get(index);
    if (alert.counts(failure)) failures.push(failure);
  }
  return failures.sort((a, b) => compareTicks(a.time, b.time) || a.index - b.index);
}

/** Builds one alert's section: tables per location, IP and ResultType, the timeline rows and the related sign-ins. */
export function buildAlert(
  alert: AlertSummary,
  failures: readonly EvidenceFailure[],
  context: { collector: SignInCollector; rule: RuleConfig; map: WorldMap; ipUsers: IpUsersIndex; intern: (text: string) => number },
): ReportAlert {
  const { collector, rule, map, intern } = context;
  const notes: string[] = [];
  if (alert.evidence === null && failures.length !== alert.failureCount) {
    notes.push(
      `The report kept ${failures.length} of the ${alert.failureCount} failures this alert counts ` +
        `(the scan dropped sign-ins beyond the report's memory limit), so its tables and timeline are partial.`,
    );
  }

  const coordinates = (location: string): [number, number] | undefined =>
    alert.evidence?.coordinates.get(location) ?? collector.coordinates.get(location);
  const locations = locationRows(failures, coordinates, map);
  const ips = ipRows(failures);
  const locationIndex = new Map(locations.map((row, index) => [row.name, index]));
  const shown = failures.slice(0, ALERT_LIMITS.failures);
  if (shown.length < failures.length) {
    notes.push(`The timeline and evidence list show the first ${shown.length} of ${failures.length} failures; JSON output lists all.`);
  }
  const unplaced = locations.filter((row) => row.point === null && row.name !== NO_LOCATION).map((row) => row.name);
  if (unplaced.length > 0) notes.push(`Not on the map (no coordinates and no known country): ${unplaced.join(', ')}.`);
  if (locations.some((row) => row.point?.source === 'country-centroid')) {
    notes.push('Locations whose records carry no geoCoordinates are drawn at the centre of their country.');
  }

  const triggeredAt = alert.triggeredAt ?? thresholdsMetAt(failures, rule);
  const ipList = ips.map((row) => row.ip);
  const others =
    alert.evidence === null
      ? context.ipUsers.otherUsers(alert.user, ipList, alert.windowStart, alert.windowEnd)
      : { users: alert.evidence.otherUsers, total: alert.evidence.otherUsers.length, note: null };
  const timelineFailures: AlertFailure[] = shown.map((failure) => [
    toMilliseconds(failure.time),
    locationIndex.get(failure.location) ?? 0,
    intern(failure.ip),
    intern(failure.resultType),
    intern(failure.table),
    intern(failure.app),
    failure.id,
    failure.correlationId,
    intern(failure.file),
    failure.position,
  ]);

  return {
    user: alert.user,
    tables: alert.tables,
    severity: alert.severity,
    windowStart: formatTicks(alert.windowStart),
    windowEnd: formatTicks(alert.windowEnd),
    firstFailure: failures.length > 0 ? formatTicks(failures[0].time) : formatTicks(alert.windowStart),
    lastFailure: failures.length > 0 ? formatTicks(failures[failures.length - 1].time) : formatTicks(alert.windowEnd),
    thresholdsMetAt: triggeredAt === null ? null : formatTicks(triggeredAt),
    failureCount: alert.failureCount,
    locationCount: alert.locationCount,
    ipCount: alert.ipCount,
    locations,
    ips,
    resultTypes: resultTypeRows(failures),
    failures: timelineFailures,
    failuresTotal: alert.failureCount,
    laterSuccess: alert.evidence === null ? laterSuccess(alert, failures, collector) : alert.evidence.laterSuccess,
    otherUsers: others.users.slice(0, ALERT_LIMITS.otherUsers),
    otherUsersTotal: others.total,
    otherUsersNote: others.note,
    improved: alert.improved,
    apps: alert.apps,
    browsers: alert.browsers,
    operatingSystems: alert.operatingSystems,
    evidenceNotes: notes,
  };
}

/**
 * Finds the first failure at which both thresholds held: more than `failureThreshold` failures and at
 * least `locationThreshold` distinct counted locations since the window opened.
 */
export function thresholdsMetAt(failures: readonly EvidenceFailure[], rule: RuleConfig): Ticks | null {
  const seen = new Set<string>();
  for (let i = 0; i < failures.length; i++) {
    if (failures[i].locationCounts) seen.add(failures[i].location);
    if (i + 1 > rule.failureThreshold && seen.size >= rule.locationThreshold) return failures[i].time;
  }
  return null;
}

function locationRows(
  failures: readonly EvidenceFailure[],
  coordinates: (location: string) => [number, number] | undefined,
  map: WorldMap,
): AlertLocation[] {
  const groups = new Map<string, { failures: number; ips: Set<string>; first: Ticks; last: Ticks }>();
  for (const failure of failures) {
    const group = groups.get(failure.location);
    if (group === undefined) {
      groups.set(failure.location, { failures: 1, ips: new Set([failure.ip]), first: failure.time, last: failure.time });
    } else {
      group.failures++;
      group.ips.add(failure.ip);
      group.last = failure.time;
    }
  }
  return [...groups]
    .sort((a, b) => b[1].failures - a[1].failures || (a[0] < b[0] ? -1 : 1))
    .map(([name, group]) => ({
      name,
      failures: group.failures,
      ips: group.ips.size,
      first: formatTicks(group.first),
      last: formatTicks(group.last),
      point: name === NO_LOCATION ? null : map.place(name, coordinates(name)),
    }));
}

function ipRows(failures: readonly EvidenceFailure[]): AlertIp[] {
  const groups = new Map<string, { failures: number; locations: Set<string>; userAgents: Set<string> }>();
  for (const failure of failures) {
    let group = groups.get(failure.ip);
    if (group === undefined) {
      group = { failures: 0, locations: new Set(), userAgents: new Set() };
      groups.set(failure.ip, group);
    }
    group.failures++;
    group.locations.add(failure.location);
    if (failure.userAgent.length > 0 && group.userAgents.size < ALERT_LIMITS.userAgents) group.userAgents.add(failure.userAgent);
  }
  return [...groups]
    .sort((a, b) => b[1].failures - a[1].failures || (a[0] < b[0] ? -1 : 1))
    .map(([ip, group]) => ({ ip, failures: group.failures, locations: [...group.locations], userAgents: [...group.userAgents] }));
}

function resultTypeRows(failures: readonly EvidenceFailure[]): ReportAlert['resultTypes'] {
  const groups = new Map<string, { code: string; description: string; failures: number }>();
  for (const failure of failures) {
    const key = `${failure.resultType}\u0000${failure.resultDescription}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { code: failure.resultType, description: failure.resultDescription, failures: 1 });
    else group.failures++;
  }
  return [...groups.values()].sort((a, b) => b.failures - a.failures || (a.code < b.code ? -1 : 1));
}

/**
 * Finds the user's first successful sign-in at or after the first failure, from an attacking IP or an
 * attacking location (the rule's `//` for missing location data does not match). Searches every kept
 * sign-in, so it can be after the window.
 */
function laterSuccess(alert: AlertSummary, failures: readonly EvidenceFailure[], collector: SignInCollector): LaterSuccess | null {
  if (failures.length === 0) return null;
  const ips = new Set(failures.map((failure) => failure.ip));
  const locations = new Set(failures.map((failure) => failure.location).filter((location) => location !== NO_LOCATION));
  const from = failures[0].time;

  let found: CollectedSignIn | null = null;
  for (const index of collector.ofUser(alert.user)) {
    if (collector.isFailure(index)) continue;
    const time = collector.timeOf(index);
    if (time < from || (found !== null && time >= found.time)) continue;
    const success = collector.get(index);
    if (ips.has(success.ip) || locations.has(success.location)) found = success;
  }
  if (found === null) return null;

  const matched = [ips.has(found.ip) ? 'an attacking IP' : '', locations.has(found.location) ? 'an attacking location' : ''].filter(Boolean);
  return {
    time: formatTicks(found.time),
    t: toMilliseconds(found.time),
    ip: found.ip,
    location: found.location,
    app: found.app,
    table: found.table,
    id: found.id,
    source: sourceText(found.file, found.position),
    matchedOn: matched.join(' and '),
  };
}

function compareTicks(a: Ticks, b: Ticks): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
