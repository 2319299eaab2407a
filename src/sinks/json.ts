import type { Alert } from '../detect/detector.js';
import { isImprovedAlert } from '../detect/improved/alert.js';
import { toAlertRecord } from './alert-record.js';
import { toImprovedAlertRecord } from './improved-record.js';

function toRecord(alert: Alert): object {
  return isImprovedAlert(alert) ? toImprovedAlertRecord(alert) : toAlertRecord(alert);
}

/** Writes one JSON object per line per alert. */
export function formatNdjson(alerts: readonly Alert[]): string {
  return alerts.map((alert) => JSON.stringify(toRecord(alert)) + '\n').join('');
}

/** Writes all alerts as one indented JSON array. */
export function formatJson(alerts: readonly Alert[]): string {
  return JSON.stringify(alerts.map(toRecord), null, 2) + '\n';
}
