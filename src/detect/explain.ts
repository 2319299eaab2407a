import { formatTicks } from '../core/time.js';
import { describeRule, type RuleConfig } from '../rule/config.js';
import { escapeTerminal } from '../sinks/escape.js';
import type { ImprovedAlert } from './improved/alert.js';
import { compareRows, foldUpn } from './improved/attempt.js';
import type { ImprovedDetector, RowExclusion } from './improved/detector.js';

const EXCLUSION_TEXT: Record<RowExclusion, string> = {
  'other-table': 'table the rule does not read',
  'other-operation': 'OperationName is not "Sign-in activity"',
  success: 'successful sign-in (ResultType 0), kept to find a success after a burst',
  'other-result': 'ResultType is not one the rule counts',
  duplicate: 'duplicate row of an attempt already counted (same Id or OriginalRequestId)',
};

function where(file: string, line: number, index: number): string {
  return line > 0 ? `${file}:${line}` : `${file} record ${index}`;
}

function yesNo(held: boolean): string {
  return held ? 'yes' : 'no';
}

/**
 * Formats --explain for one user: the rows read and what happened to each one not counted, the windows
 * tested with their counts and which thresholds held, and the alerts raised. Every log value is escaped.
 */
export function formatExplanation(user: string, detector: ImprovedDetector, alerts: readonly ImprovedAlert[]): string {
  const rule: RuleConfig = detector.rule;
  const folded = foldUpn(user);
  const lines: string[] = [];
  const decisions = [...detector.explainedRows()].sort((a, b) => compareRows(a.row, b.row));
  const counted = decisions.filter((decision) => decision.exclusion === null);
  const excluded = decisions.filter((decision) => decision.exclusion !== null);
  const variants = [...new Set(decisions.map((decision) => decision.row.userPrincipalName))].sort();

  lines.push(`Explanation for ${escapeTerminal(folded)} (UPNs compared case-insensitively)`);
  lines.push(`Rule: ${describeRule(rule)}`);
  lines.push(`Spellings seen: ${variants.length > 0 ? variants.map(escapeTerminal).join(', ') : 'none'}`);
  lines.push(`Rows read: ${decisions.length}; counted attempts: ${counted.length}; rows not counted: ${excluded.length}`);

  if (excluded.length > 0) {
    lines.push('', 'Rows not counted:');
    for (const decision of excluded) {
      const { row } = decision;
      lines.push(
        `  ${formatTicks(row.time)}  ${escapeTerminal(where(row.source.File, row.source.Line, row.source.Index))}  ` +
          `${escapeTerminal(row.type)} ResultType ${escapeTerminal(decision.resultType)}: ${EXCLUSION_TEXT[decision.exclusion!]}`,
      );
    }
  }

  const unknown = counted.filter((decision) => !decision.locationKnown);
  if (unknown.length > 0) {
    lines.push('', `Counted attempts with an empty or partial location (no distinct ${rule.locationGranularity}-level location):`);
    for (const decision of unknown) {
      const { row } = decision;
      lines.push(`  ${formatTicks(row.time)}  ${escapeTerminal(where(row.source.File, row.source.Line, row.source.Index))}  location "${escapeTerminal(row.locationString)}"`);
    }
  }

  const windows = detector.explainedWindows();
  const kind = rule.window.kind === 'sliding' ? 'sliding: the longest run of attempts within one period ending at each attempt' : 'scheduled runs';
  lines.push('', `Windows considered (${kind}): ${windows.length}`);
  if (windows.length > 0) {
    lines.push(`  ${'start'.padEnd(28)}  ${'end'.padEnd(28)}  attempts  locations  unknown  >${rule.failureThreshold}  >=${rule.locationThreshold}`);
    for (const window of windows) {
      lines.push(
        `  ${formatTicks(window.start)}  ${formatTicks(window.end)}  ${String(window.attempts).padStart(8)}  ${String(window.locations).padStart(9)}  ` +
          `${String(window.unknownLocations).padStart(7)}  ${yesNo(window.failureThresholdHeld).padStart(3)}  ${yesNo(window.locationThresholdHeld).padStart(3)}`,
      );
    }
  }

  const own = alerts.filter((alert) => alert.UserPrincipalName === folded);
  lines.push('', `Alerts: ${own.length}`);
  for (const alert of own) {
    const success = alert.Evidence.LaterSuccess;
    lines.push(
      `  ${alert.Severity}: ${alert.SigninCount} attempts from ${alert.LocationCount} locations, ${formatTicks(alert.StartTime)} to ${formatTicks(alert.EndTime)}` +
        (success === null ? '' : `; success at ${formatTicks(success.TimeGenerated)} from ${escapeTerminal(success.IPAddress)}`),
    );
  }
  return lines.join('\n') + '\n';
}
