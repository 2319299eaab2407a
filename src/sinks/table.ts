import { formatTicks } from '../core/time.js';
import type { ParityAlert } from '../detect/alert.js';
import type { Alert } from '../detect/detector.js';
import { isImprovedAlert, type ImprovedAlert } from '../detect/improved/alert.js';
import { escapeTerminal } from './escape.js';
import { formatImprovedTable } from './improved-table.js';

const TABLE_SHORT_NAMES: Record<string, string> = {
  SigninLogs: 'interactive',
  AADNonInteractiveUserSignInLogs: 'non-inter.',
};

function fit(text: string, width: number): string {
  const safe = escapeTerminal(text);
  if (safe.length <= width) return safe.padEnd(width);
  return safe.slice(0, width - 1) + '…';
}

function fitRight(text: string, width: number): string {
  return text.length >= width ? text : text.padStart(width);
}

/**
 * Formats alerts as a table, one row per alert, within `width` columns (at least 100 are assumed). The UPN
 * and location columns share what is left after the fixed columns.
 */
export function formatTable(alerts: readonly Alert[], width = 100): string {
  if (alerts.length === 0) return 'No alerts.\n';
  if (alerts.every(isImprovedAlert)) return formatImprovedTable(alerts as ImprovedAlert[], width);
  return formatParityTable(alerts as ParityAlert[], width);
}

function formatParityTable(alerts: readonly ParityAlert[], width: number): string {
  const fixed = { table: 11, window: 16, failures: 8, locations: 4, ips: 4 };
  const gaps = 6 * 2;
  const flexible = Math.max(100, width) - (fixed.table + fixed.window + fixed.failures + fixed.locations + fixed.ips + gaps);
  const upnWidth = Math.max(20, Math.floor(flexible * 0.45));
  const locationWidth = Math.max(16, flexible - upnWidth);

  const header = [
    'User'.padEnd(upnWidth),
    'Table'.padEnd(fixed.table),
    'Window (UTC)'.padEnd(fixed.window),
    fitRight('Failures', fixed.failures),
    fitRight('Locs', fixed.locations),
    fitRight('IPs', fixed.ips),
    'Locations'.padEnd(locationWidth),
  ].join('  ');

  const rows = alerts.map((alert) => {
    const window = formatTicks(alert.FirstTriggeredAt ?? alert.WindowStart).slice(0, 16).replace('T', ' ');
    return [
      fit(alert.UserPrincipalName, upnWidth),
      fit(TABLE_SHORT_NAMES[alert.Type] ?? alert.Type, fixed.table),
      window.padEnd(fixed.window),
      fitRight(String(alert.SigninCount), fixed.failures),
      fitRight(String(alert.LocationCount), fixed.locations),
      fitRight(String(alert.IPAddressCount), fixed.ips),
      fit(alert.Location.join(', '), locationWidth),
    ].join('  ').trimEnd();
  });

  return [header.trimEnd(), '-'.repeat(Math.min(header.trimEnd().length, Math.max(100, width))), ...rows].join('\n') + '\n';
}
