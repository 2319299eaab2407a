import { formatTicks, type Ticks } from '../core/time.js';
import type { ImprovedAlert, ImprovedAlertRecord, ImprovedEvidence } from '../detect/improved/alert.js';

/** Converts an improved alert to the JSON form the sinks write: times as ISO 8601 UTC, lists uncut. */
export function toImprovedAlertRecord(alert: ImprovedAlert): ImprovedAlertRecord {
  return {
    ...alert,
    StartTime: formatTicks(alert.StartTime),
    EndTime: formatTicks(alert.EndTime),
    WindowStart: formatTicks(alert.WindowStart),
    WindowEnd: formatTicks(alert.WindowEnd),
    FirstTriggeredAt: alert.FirstTriggeredAt === null ? null : formatTicks(alert.FirstTriggeredAt),
    Evidence: evidenceRecord(alert.Evidence),
  };
}

function evidenceRecord(evidence: ImprovedEvidence<Ticks>): ImprovedEvidence<string> {
  const success = evidence.LaterSuccess;
  return {
    Locations: evidence.Locations.map((entry) => ({ ...entry, FirstSeen: formatTicks(entry.FirstSeen), LastSeen: formatTicks(entry.LastSeen) })),
    IPAddresses: evidence.IPAddresses.map((entry) => ({ ...entry, FirstSeen: formatTicks(entry.FirstSeen), LastSeen: formatTicks(entry.LastSeen) })),
    ResultTypes: evidence.ResultTypes,
    Failures: evidence.Failures.map((failure) => ({
      ...failure,
      TimeGenerated: formatTicks(failure.TimeGenerated),
      CreatedDateTime: formatTicks(failure.CreatedDateTime),
    })),
    LaterSuccess: success === null ? null : { ...success, TimeGenerated: formatTicks(success.TimeGenerated) },
    OtherUsers: evidence.OtherUsers.map((user) => ({ ...user, FirstSeen: formatTicks(user.FirstSeen), LastSeen: formatTicks(user.LastSeen) })),
  };
}
