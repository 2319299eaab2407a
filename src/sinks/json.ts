import type { ParityAlert } from '../detect/alert.js';
import { toAlertRecord } from './alert-record.js';

/** Writes one JSON object per line per alert. */
export function formatNdjson(alerts: readonly ParityAlert[]): string {
  return alerts.map((alert) => JSON.stringify(toAlertRecord(alert)) + '\n').join('');
}

/** Writes all alerts as one indented JSON array. */
export function formatJson(alerts: readonly ParityAlert[]): string {
  return JSON.stringify(alerts.map(toAlertRecord), null, 2) + '\n';
}
