import { setToJsonText } from '../core/kql.js';
import type { ParityAlert } from '../detect/alert.js';
import { toAlertRecord } from './alert-record.js';
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

/** Writes alerts as CSV, the six lists as the compact JSON text that the rule's tostring() produces. */
export function formatCsv(alerts: readonly ParityAlert[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const alert of alerts) {
    const record = toAlertRecord(alert) as unknown as Record<string, unknown>;
    const cells = CSV_COLUMNS.map((column) => {
      const value = record[column];
      if (value === undefined) return '';
      if (Array.isArray(value)) return csvCell(setToJsonText(value));
      return csvCell(value as string | number);
    });
    lines.push(cells.join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
