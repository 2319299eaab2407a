import type { ParityAlert } from '../detect/alert.js';
import { toAlertRecord } from './alert-record.js';
import { safeJsonStringify } from './escape.js';

/** Writes one JSON object per line per alert. */
export function formatNdjson(alerts: readonly ParityAlert[]): string {
  return alerts.map((alert) => safeJsonStringify(toAlertRecord(alert)) + '\n').join('');
}

/** Writes all alerts as one indented JSON array. */
export function formatJson(alerts: readonly ParityAlert[]): string {
  return safeJsonStringify(alerts.map(toAlertRecord), 2) + '\n';
}
