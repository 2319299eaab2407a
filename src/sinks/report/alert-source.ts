import type { Ticks } from '../../core/time.js';
import type { ParityAlert } from '../../detect/alert.js';
import { kqlToString } from '../../core/kql.js';
import { SENTINEL_RULE } from '../../rule/sentinel-rule.js';
import type { CollectedSignIn } from './collect.js';

/** What the report needs from an alert of any mode, with times as ticks. */
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
  /** Whether a kept failure inside the window is one this alert counted (same user and table rules). */
  counts(failure: CollectedSignIn): boolean;
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
    counts: (failure) => failure.upn === alert.UserPrincipalName && failure.table === alert.Type,
  };
}
