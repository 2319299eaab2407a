import { formatTicks } from '../core/time.js';
import type { ImprovedAlert } from '../detect/improved/alert.js';
import { escapeTerminal } from './escape.js';

const TABLE_SHORT_NAMES: Record<string, string> = {
  SigninLogs: 'int',
  AADNonInteractiveUserSignInLogs: 'non-int',
};

function fit(text: string, width: number): string {
  const safe = escapeTerminal(text);
  if (safe.length <= width) return safe.padEnd(width);
  return safe.slice(0, width - 1) + '…';
}

function fitRight(text: string, width: number): string {
  return text.length >= width ? text : text.padStart(width);
}

function minute(ticks: bigint): string {
  return formatTicks(ticks).slice(0, 16).replace('T', ' ');
}

/** Summarises the evidence of one alert in one line: kinds, later success, other users. */
function evidenceLine(alert: ImprovedAlert): string {
  const parts: string[] = [];
  parts.push(alert.Evidence.ResultTypes.map((entry) => `${entry.ResultType} ${entry.Kind} ${entry.Failures}`).join(', '));
  if (alert.DuplicateRowCount > 0) parts.push(`${alert.DuplicateRowCount} duplicate rows collapsed`);
  if (alert.UnknownLocationCount > 0) parts.push(`${alert.UnknownLocationCount} with unknown location`);
  const success = alert.Evidence.LaterSuccess;
  if (success !== null) parts.push(`success ${minute(success.TimeGenerated)} from ${success.IPAddress} (${success.MatchedOn.join('+')})`);
  const others = alert.Evidence.OtherUsers.length;
  if (others > 0) parts.push(`${others} other user(s) failed from these IPs`);
  return '    ' + escapeTerminal(parts.join('; '));
}

/**
 * Formats improved alerts as a table: one row per alert and one indented line summarising its evidence.
 * The full evidence is in the JSON output.
 */
export function formatImprovedTable(alerts: readonly ImprovedAlert[], width = 100): string {
  if (alerts.length === 0) return 'No alerts.\n';

  const fixed = { severity: 6, tables: 11, window: 16, attempts: 8, locations: 4, ips: 4 };
  const gaps = 7 * 2;
  const total = Math.max(120, width);
  const flexible = total - (fixed.severity + fixed.tables + fixed.window + fixed.attempts + fixed.locations + fixed.ips + gaps);
  const upnWidth = Math.max(20, Math.floor(flexible * 0.45));
  const locationWidth = Math.max(16, flexible - upnWidth);

  const header = [
    'User'.padEnd(upnWidth),
    'Sev'.padEnd(fixed.severity),
    'Tables'.padEnd(fixed.tables),
    'Window (UTC)'.padEnd(fixed.window),
    fitRight('Attempts', fixed.attempts),
    fitRight('Locs', fixed.locations),
    fitRight('IPs', fixed.ips),
    'Locations'.padEnd(locationWidth),
  ].join('  ').trimEnd();

  const lines = [header, '-'.repeat(Math.min(header.length, total))];
  for (const alert of alerts) {
    const tables = alert.Type.split(',').map((table) => TABLE_SHORT_NAMES[table] ?? table).join('+');
    lines.push(
      [
        fit(alert.UserPrincipalName, upnWidth),
        fit(alert.Severity, fixed.severity),
        fit(tables, fixed.tables),
        minute(alert.FirstTriggeredAt ?? alert.WindowStart).padEnd(fixed.window),
        fitRight(String(alert.SigninCount), fixed.attempts),
        fitRight(String(alert.LocationCount), fixed.locations),
        fitRight(String(alert.IPAddressCount), fixed.ips),
        fit(alert.Location.join(', '), locationWidth),
      ]
        .join('  ')
        .trimEnd(),
    );
    lines.push(evidenceLine(alert));
  }
  return lines.join('\n') + '\n';
}
