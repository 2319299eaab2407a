import { splitUpn } from '../../core/kql.js';
import { NON_INTERACTIVE_SIGNIN_LOGS, SIGNIN_LOGS } from '../../core/signin.js';
import type { Ticks } from '../../core/time.js';
import type { RuleConfig } from '../../rule/config.js';
import { SENTINEL_RULE } from '../../rule/sentinel-rule.js';
import { FirstSet } from '../first-set.js';
import type {
  AlertEntity,
  FailureEvidence,
  FailureKind,
  ImprovedAlert,
  IPAddressEvidence,
  LocationEvidence,
  OtherUserEvidence,
  ResultTypeEvidence,
  SuccessEvidence,
} from './alert.js';
import type { Attempt } from './attempt.js';

/** The window an alert covers, as the detector found it. */
export interface AlertWindow {
  readonly start: Ticks;
  /** Exclusive. */
  readonly end: Ticks;
  readonly firstTriggeredAt: Ticks | null;
}

/** Lookups an alert needs beyond its own attempts. */
export interface AlertContext {
  readonly rule: RuleConfig;
  findLaterSuccess(user: string, firstFailureByIp: ReadonlyMap<string, Ticks>, firstFailureByLocation: ReadonlyMap<string, Ticks>): SuccessEvidence<Ticks> | null;
  findOtherUsers(user: string, ipAddresses: ReadonlySet<string>, start: Ticks, end: Ticks): OtherUserEvidence<Ticks>[];
}

const UNLIMITED = Number.POSITIVE_INFINITY;

function tableRank(table: string): number {
  if (table === SIGNIN_LOGS) return 0;
  if (table === NON_INTERACTIVE_SIGNIN_LOGS) return 1;
  return 2;
}

function compareTables(a: string, b: string): number {
  const byRank = tableRank(a) - tableRank(b);
  if (byRank !== 0 || a === b) return byRank;
  return a < b ? -1 : 1;
}

interface Tally {
  failures: number;
  first: Ticks;
  last: Ticks;
  readonly values: Set<string>;
  readonly extra: Set<string>;
  country: string;
  coordinates: { Latitude: number; Longitude: number } | null;
}

function tally(map: Map<string, Tally>, key: string, time: Ticks): Tally {
  let entry = map.get(key);
  if (entry === undefined) {
    entry = { failures: 0, first: time, last: time, values: new Set(), extra: new Set(), country: '', coordinates: null };
    map.set(key, entry);
  }
  entry.failures++;
  if (time < entry.first) entry.first = time;
  if (time > entry.last) entry.last = time;
  return entry;
}

function byFailuresThenName<T extends { Failures: number }>(name: (entry: T) => string): (a: T, b: T) => number {
  return (a, b) => b.Failures - a.Failures || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

/**
 * Builds an improved alert from the de-duplicated attempts of one user's window (`attempts` sorted by
 * time). Every list is complete; nothing is capped.
 */
export function buildImprovedAlert(user: string, attempts: readonly Attempt[], window: AlertWindow, context: AlertContext): ImprovedAlert {
  const first = attempts[0].time;
  const last = attempts[attempts.length - 1].time;

  const locationSet = new FirstSet(UNLIMITED);
  const ipSet = new FirstSet(UNLIMITED);
  const appSet = new FirstSet(UNLIMITED);
  const descriptionSet = new FirstSet(UNLIMITED);
  const browserSet = new FirstSet(UNLIMITED);
  const osSet = new FirstSet(UNLIMITED);
  const byTable = new Map<string, number>();
  const variants = new Set<string>();
  const knownLocations = new Map<string, Tally>();
  const unknownLocations = new Map<string, Tally>();
  const ipAddresses = new Map<string, Tally>();
  const resultTypes = new Map<string, { resultType: string; kind: FailureKind; failures: number }>();
  const failures: FailureEvidence<Ticks>[] = [];
  let duplicateRows = 0;
  let unknownLocationCount = 0;

  for (const attempt of attempts) {
    const signIn = attempt.fields;
    const time = attempt.time;
    const shownLocation = attempt.location ?? attempt.locationString;

    if (attempt.location !== null) locationSet.addString(attempt.location, time);
    else unknownLocationCount++;
    ipSet.addString(signIn.IPAddress, time);
    appSet.addString(signIn.AppDisplayName, time);
    descriptionSet.addString(signIn.ResultDescription, time);
    browserSet.add(signIn.browser, time);
    osSet.add(signIn.os, time);
    byTable.set(signIn.Type, (byTable.get(signIn.Type) ?? 0) + 1);
    for (const row of attempt.rows) variants.add(row.userPrincipalName);
    duplicateRows += attempt.rows.length - 1;

    const location = tally(attempt.location !== null ? knownLocations : unknownLocations, shownLocation, time);
    location.values.add(signIn.IPAddress);
    location.country = attempt.country;
    // Attempts arrive in time order, so the first coordinates seen are those of the earliest failure.
    if (location.coordinates === null) location.coordinates = attempt.coordinates;
    const ipAddress = tally(ipAddresses, signIn.IPAddress, time);
    ipAddress.values.add(shownLocation);
    if (signIn.UserAgent !== '') ipAddress.extra.add(signIn.UserAgent);

    const resultKey = `${signIn.ResultType}\u0000${attempt.kind}`;
    const result = resultTypes.get(resultKey) ?? { resultType: signIn.ResultType, kind: attempt.kind, failures: 0 };
    result.failures++;
    resultTypes.set(resultKey, result);

    failures.push({
      TimeGenerated: attempt.timeGenerated,
      CreatedDateTime: time,
      Id: signIn.Id,
      OriginalRequestId: signIn.OriginalRequestId,
      CorrelationId: signIn.CorrelationId,
      Type: signIn.Type,
      UserPrincipalName: signIn.UserPrincipalName,
      ResultType: signIn.ResultType,
      Kind: attempt.kind,
      IPAddress: signIn.IPAddress,
      Location: shownLocation,
      LocationKnown: attempt.location !== null,
      UserAgent: signIn.UserAgent,
      Rows: attempt.rows.map((row) => row.source),
    });
  }

  const locationList = locationSet.values() as string[];
  const ipList = ipSet.values() as string[];
  const attackingIps = new Set(ipList.filter((ip) => ip !== ''));
  // Each attacking address and known location with its first failure: a success counts only after it.
  const firstFailureByIp = new Map([...ipAddresses].filter(([ip]) => ip !== '').map(([ip, entry]) => [ip, entry.first]));
  const firstFailureByLocation = new Map([...knownLocations].map(([location, entry]) => [location, entry.first]));
  const laterSuccess = context.findLaterSuccess(user, firstFailureByIp, firstFailureByLocation);
  const { Name, UPNSuffix } = splitUpn(user);

  const toLocationEvidence = (known: boolean) => ([location, entry]: [string, Tally]): LocationEvidence<Ticks> => ({
    Location: location,
    Known: known,
    Country: entry.country,
    Coordinates: entry.coordinates,
    Failures: entry.failures,
    IPAddress: [...entry.values],
    FirstSeen: entry.first,
    LastSeen: entry.last,
  });
  const locationOrder = byFailuresThenName<LocationEvidence<Ticks>>((entry) => entry.Location);
  const ipEvidence: IPAddressEvidence<Ticks>[] = [...ipAddresses].map(([ip, entry]) => ({
    IPAddress: ip,
    Failures: entry.failures,
    Location: [...entry.values],
    UserAgent: [...entry.extra],
    FirstSeen: entry.first,
    LastSeen: entry.last,
  }));
  const resultEvidence: ResultTypeEvidence[] = [...resultTypes.values()].map((entry) => ({ ResultType: entry.resultType, Kind: entry.kind, Failures: entry.failures }));

  const entities: AlertEntity[] = [{ Type: 'account', FullName: user, Name, UPNSuffix }];
  for (const ip of attackingIps) entities.push({ Type: 'ip', Address: ip });

  const tables = [...byTable.keys()].sort(compareTables);
  return {
    Mode: 'improved',
    UserPrincipalName: user,
    Type: tables.join(','),
    StartTime: first,
    EndTime: last,
    LocationCount: locationList.length,
    Location: locationList,
    IPAddress: ipList,
    IPAddressCount: ipList.length,
    AppDisplayName: appSet.values() as string[],
    ResultDescription: descriptionSet.values() as string[],
    Browser: browserSet.values(),
    OS: osSet.values(),
    SigninCount: attempts.length,
    Name,
    UPNSuffix,
    WindowStart: window.start,
    WindowEnd: window.end,
    FirstTriggeredAt: window.firstTriggeredAt,
    Severity: laterSuccess === null ? 'Medium' : 'High',
    LocationGranularity: context.rule.locationGranularity,
    SigninCountByTable: Object.fromEntries(tables.map((table) => [table, byTable.get(table)!])),
    DuplicateRowCount: duplicateRows,
    UnknownLocationCount: unknownLocationCount,
    UserPrincipalNameVariants: [...variants].sort(),
    Tactics: [...SENTINEL_RULE.tactics],
    Techniques: [...SENTINEL_RULE.techniques],
    Entities: entities,
    Evidence: {
      Locations: [...[...knownLocations].map(toLocationEvidence(true)).sort(locationOrder), ...[...unknownLocations].map(toLocationEvidence(false)).sort(locationOrder)],
      IPAddresses: ipEvidence.sort(byFailuresThenName((entry) => entry.IPAddress)),
      ResultTypes: resultEvidence.sort(byFailuresThenName((entry) => entry.ResultType + entry.Kind)),
      Failures: failures,
      LaterSuccess: laterSuccess,
      OtherUsers: context.findOtherUsers(user, attackingIps, first, last),
    },
  };
}
