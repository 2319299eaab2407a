import { kqlToString } from '../../core/kql.js';
import { formatTicks, type Ticks } from '../../core/time.js';
import type { ParityAlert } from '../../detect/alert.js';
import type { Alert } from '../../detect/detector.js';
import { isImprovedAlert, type FailureKind, type ImprovedAlert, type SourceRef } from '../../detect/improved/alert.js';
import { SENTINEL_RULE } from '../../rule/sentinel-rule.js';
import type { CollectedSignIn } from './collect.js';
import type { LaterSuccess, OtherUser } from './model.js';

/** One counted failure as the report shows it, from an alert's own evidence or from the report's collector. */
export interface EvidenceFailure {
  readonly time: Ticks;
  readonly upn: string;
  readonly table: string;
  readonly ip: string;
  readonly location: string;
  /** False when the location adds no distinct location (improved mode leaves out empty or partial ones). */
  readonly locationCounts: boolean;
  readonly resultType: string;
  /** Failure reason, or the kind of failure improved mode assigned. */
  readonly resultDescription: string;
  readonly app: string;
  readonly userAgent: string;
  readonly id: string;
  readonly correlationId: string;
  readonly file: string;
  /** 1-based line, or minus the 1-based record number in a file without lines. */
  readonly position: number;
}

/** Evidence an alert carries itself (improved mode); parity alerts carry none and the report collects it. */
export interface AlertEvidence {
  /** Counted failures in time order. */
  readonly failures: EvidenceFailure[];
  readonly laterSuccess: LaterSuccess | null;
  /** Other users from the alert's IPs, most failures first. */
  readonly otherUsers: OtherUser[];
  /** [latitude, longitude] per location, as the alert's records gave them. */
  readonly coordinates: ReadonlyMap<string, [number, number]>;
}

/** The fields the report needs from an alert of any mode, with times as ticks. */
export interface AlertSummary {
  readonly user: string;
  readonly tables: string[];
  readonly severity: string;
  readonly windowStart: Ticks;
  readonly windowEnd: Ticks;
  /** When the detector saw the thresholds hold, if it records that (sliding windows do). */
  readonly triggeredAt: Ticks | null;
  readonly failureCount: number;
  readonly locationCount: number;
  readonly ipCount: number;
  readonly apps: string[];
  readonly browsers: string[];
  readonly operatingSystems: string[];
  /** Improved-mode counts: rows collapsed as duplicates, failures with unknown location, and the location granularity. */
  readonly improved: { duplicateRows: number; unknownLocations: number; granularity: string } | null;
  readonly evidence: AlertEvidence | null;
  /** Whether a collected failure inside the window is one this alert counted; used when `evidence` is null. */
  counts(failure: CollectedSignIn): boolean;
}

/** Maps an alert of either mode. */
export function toAlertSummary(alert: Alert): AlertSummary {
  return isImprovedAlert(alert) ? fromImprovedAlert(alert) : fromParityAlert(alert);
}

/**
 * Maps a parity alert: one UPN (compared exactly, as Kusto's summarize groups) and one table, with the
 * Sentinel rule's severity.
 */
export function fromParityAlert(alert: ParityAlert): AlertSummary {
  return {
    user: alert.UserPrincipalName,
    tables: [alert.Type],
    severity: SENTINEL_RULE.severity,
    windowStart: alert.WindowStart,
    windowEnd: alert.WindowEnd,
    triggeredAt: alert.FirstTriggeredAt,
    failureCount: alert.SigninCount,
    locationCount: alert.LocationCount,
    ipCount: alert.IPAddressCount,
    apps: alert.AppDisplayName,
    browsers: alert.Browser.map(kqlToString),
    operatingSystems: alert.OS.map(kqlToString),
    improved: null,
    evidence: null,
    counts: (failure) => failure.upn === alert.UserPrincipalName && failure.table === alert.Type,
  };
}

export const FAILURE_KIND_TEXT: Record<FailureKind, string> = {
  'invalid-credentials': 'Invalid user name or password',
  'account-locked': 'Account locked after too many wrong passwords',
  'malicious-ip': 'Sign-in blocked from a malicious IP address',
  'locked-or-blocked': 'Locked or blocked (the failure reason names neither)',
  'password-expired': 'Password expired',
  'no-password': 'No password set',
  other: 'Other failure code',
};

/** Maps an improved alert, whose evidence lists every counted failure, the later success and the other users. */
export function fromImprovedAlert(alert: ImprovedAlert): AlertSummary {
  const evidence = alert.Evidence;
  const success = evidence.LaterSuccess;
  return {
    user: alert.UserPrincipalName,
    tables: alert.Type.split(',').map((table) => table.trim()),
    severity: alert.Severity,
    windowStart: alert.WindowStart,
    windowEnd: alert.WindowEnd,
    triggeredAt: alert.FirstTriggeredAt,
    failureCount: alert.SigninCount,
    locationCount: alert.LocationCount,
    ipCount: alert.IPAddressCount,
    apps: alert.AppDisplayName,
    browsers: alert.Browser.map(kqlToString),
    operatingSystems: alert.OS.map(kqlToString),
    improved: { duplicateRows: alert.DuplicateRowCount, unknownLocations: alert.UnknownLocationCount, granularity: alert.LocationGranularity },
    evidence: {
      failures: evidence.Failures.map((failure) => ({
        time: failure.CreatedDateTime,
        upn: failure.UserPrincipalName,
        table: failure.Type,
        ip: failure.IPAddress,
        location: failure.Location,
        locationCounts: failure.LocationKnown,
        resultType: failure.ResultType,
        resultDescription: FAILURE_KIND_TEXT[failure.Kind],
        app: '',
        userAgent: failure.UserAgent,
        id: failure.Id || failure.OriginalRequestId,
        correlationId: failure.CorrelationId,
        file: failure.Rows[0]?.File ?? '',
        position: positionOf(failure.Rows[0]),
      })),
      laterSuccess:
        success === null
          ? null
          : {
              time: formatTicks(success.TimeGenerated),
              t: Number(success.TimeGenerated / 10_000n),
              ip: success.IPAddress,
              location: success.Location,
              app: success.AppDisplayName,
              table: success.Type,
              id: success.Id,
              source: sourceText(success.Source.File, positionOf(success.Source)),
              matchedOn: success.MatchedOn.map((field) => (field === 'IPAddress' ? 'an attacking IP' : 'an attacking location')).join(' and '),
            },
      otherUsers: evidence.OtherUsers.map((other) => ({ user: other.UserPrincipalName, failures: other.Failures, ips: other.IPAddress })),
      coordinates: new Map(
        evidence.Locations.filter((location) => location.Coordinates !== null).map((location) => [
          location.Location,
          [location.Coordinates!.Latitude, location.Coordinates!.Longitude],
        ]),
      ),
    },
    counts: () => false,
  };
}

function positionOf(source: SourceRef | undefined): number {
  if (source === undefined) return 0;
  return source.Line > 0 ? source.Line : -source.Index;
}

export function sourceText(file: string, position: number): string {
  return position > 0 ? `${file}:${position}` : `${file} record ${-position}`;
}
