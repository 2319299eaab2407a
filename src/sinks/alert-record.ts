import type { Dynamic } from '../core/kql.js';
import { formatTicks } from '../core/time.js';
import type { ParityAlert } from '../detect/alert.js';

/** An alert as JSON output carries it: the rule's columns under their own names, times as ISO 8601 UTC. */
export interface AlertRecord {
  UserPrincipalName: string;
  Type: string;
  StartTime: string;
  EndTime: string;
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
  WindowStart: string;
  WindowEnd: string;
  FirstTriggeredAt?: string;
}

export function toAlertRecord(alert: ParityAlert): AlertRecord {
  const record: AlertRecord = {
    UserPrincipalName: alert.UserPrincipalName,
    Type: alert.Type,
    StartTime: formatTicks(alert.StartTime),
    EndTime: formatTicks(alert.EndTime),
    LocationCount: alert.LocationCount,
    Location: alert.Location,
    IPAddress: alert.IPAddress,
    IPAddressCount: alert.IPAddressCount,
    AppDisplayName: alert.AppDisplayName,
    ResultDescription: alert.ResultDescription,
    Browser: alert.Browser,
    OS: alert.OS,
    SigninCount: alert.SigninCount,
    Name: alert.Name,
    UPNSuffix: alert.UPNSuffix,
    WindowStart: formatTicks(alert.WindowStart),
    WindowEnd: formatTicks(alert.WindowEnd),
  };
  if (alert.FirstTriggeredAt !== null) record.FirstTriggeredAt = formatTicks(alert.FirstTriggeredAt);
  return record;
}
