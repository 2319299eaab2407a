import { splitUpn, type Dynamic } from '../core/kql.js';
import type { Ticks } from '../core/time.js';
import type { ParityAggregate } from './parity-aggregate.js';

/**
 * One alert row with the Sentinel rule's output columns under their own names, plus the window it came from.
 * Times are ticks; sinks format them.
 */
export interface ParityAlert {
  UserPrincipalName: string;
  Type: string;
  StartTime: Ticks;
  EndTime: Ticks;
  LocationCount: number;
  Location: string[];
  IPAddress: string[];
  IPAddressCount: number;
  AppDisplayName: string[];
  ResultDescription: string[];
  Browser: Dynamic[];
  OS: Dynamic[];
  SigninCount: number;
  Name: string;
  UPNSuffix: string;
  /** First tick of the window (scheduled: run time minus lookback; sliding: first counted failure). */
  WindowStart: Ticks;
  /** End of the window, exclusive (scheduled: the run time; sliding: last counted failure plus one tick). */
  WindowEnd: Ticks;
  /** Sliding windows only: when the thresholds first held, i.e. when a live monitor would have alerted. */
  FirstTriggeredAt: Ticks | null;
}

export function buildParityAlert(
  userPrincipalName: string,
  type: string,
  aggregate: ParityAggregate,
  window: { start: Ticks; end: Ticks; firstTriggeredAt: Ticks | null },
): ParityAlert {
  const { Name, UPNSuffix } = splitUpn(userPrincipalName);
  return {
    UserPrincipalName: userPrincipalName,
    Type: type,
    StartTime: aggregate.start,
    EndTime: aggregate.end,
    LocationCount: aggregate.locations.size,
    Location: aggregate.sets.Location.values() as string[],
    IPAddress: aggregate.sets.IPAddress.values() as string[],
    IPAddressCount: aggregate.ipAddresses.size,
    AppDisplayName: aggregate.sets.AppDisplayName.values() as string[],
    ResultDescription: aggregate.sets.ResultDescription.values() as string[],
    Browser: aggregate.sets.Browser.values(),
    OS: aggregate.sets.OS.values(),
    SigninCount: aggregate.count,
    Name,
    UPNSuffix,
    WindowStart: window.start,
    WindowEnd: window.end,
    FirstTriggeredAt: window.firstTriggeredAt,
  };
}

/**
 * Orders alerts as crackwatch documents the rule's output (Kusto leaves row order unspecified):
 * SigninLogs rows first, then AADNonInteractiveUserSignInLogs, each by UPN (ordinal), then by window.
 */
export function compareAlerts(a: ParityAlert, b: ParityAlert): number {
  if (a.Type !== b.Type) return tableRank(a.Type) - tableRank(b.Type) || (a.Type < b.Type ? -1 : 1);
  if (a.UserPrincipalName !== b.UserPrincipalName) return a.UserPrincipalName < b.UserPrincipalName ? -1 : 1;
  if (a.WindowStart !== b.WindowStart) return a.WindowStart < b.WindowStart ? -1 : 1;
  return 0;
}

function tableRank(type: string): number {
  if (type === 'SigninLogs') return 0;
  if (type === 'AADNonInteractiveUserSignInLogs') return 1;
  return 2;
}
