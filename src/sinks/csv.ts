import { setToJsonText } from '../core/kql.js';
import type { ParityAlert } from '../detect/alert.js';
import type { Alert } from '../detect/detector.js';
import { isImprovedAlert } from '../detect/improved/alert.js';
import type { DetectionMode } from '../rule/config.js';
import { toAlertRecord } from './alert-record.js';
import { toImprovedAlertRecord } from './improved-record.js';
import { csvCell } from './escape.js';

/** The rule's output columns in Log Analytics order, then the window columns crackwatch adds. */
export const CSV_COLUMNS = [
  'UserPrincipalName',
  'Type',
  'StartTime',
  'EndTime',
  'LocationCount',
  'Location',
  'IPAddress',
  'IPAddressCount',
  'AppDisplayName',
  'ResultDescription',
  'Browser',
  'OS',
  'SigninCount',
  'Name',
  'UPNSuffix',
  'WindowStart',
  'WindowEnd',
  'FirstTriggeredAt',
] as const;

/** Improved alerts: the parity columns, then the columns improved mode adds; the evidence is in JSON output only. */
export const IMPROVED_CSV_COLUMNS = [
  ...CSV_COLUMNS,
  'Severity',
  'LocationGranularity',
  'SigninCountByTable',
  'DuplicateRowCount',
  'UnknownLocationCount',
  'UserPrincipalNameVariants',
  'LaterSuccessTime',
  'LaterSuccessIPAddress',
  'OtherUserCount',
] as const;

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return csvCell(setToJsonText(value));
  if (typeof value === 'object') return csvCell(JSON.stringify(value));
  return csvCell(value as string | number);
}

/**
 * Writes alerts as CSV, the lists as the compact JSON text that the rule's tostring() produces. Parity alerts
 * get the parity columns; improved alerts (and an empty improved scan) get IMPROVED_CSV_COLUMNS.
 */
export function formatCsv(alerts: readonly Alert[], mode: DetectionMode = 'parity'): string {
  const improved = alerts.length > 0 ? alerts.every(isImprovedAlert) : mode === 'improved';
  const columns: readonly string[] = improved ? IMPROVED_CSV_COLUMNS : CSV_COLUMNS;
  const lines = [columns.join(',')];
  for (const alert of alerts) {
    let record: Record<string, unknown>;
    if (isImprovedAlert(alert)) {
      const full = toImprovedAlertRecord(alert);
      const success = full.Evidence.LaterSuccess;
      record = {
        ...full,
        LaterSuccessTime: success?.TimeGenerated,
        LaterSuccessIPAddress: success?.IPAddress,
        OtherUserCount: full.Evidence.OtherUsers.length,
      };
    } else {
      record = toAlertRecord(alert as ParityAlert) as unknown as Record<string, unknown>;
    }
    lines.push(columns.map((column) => cell(record[column])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
