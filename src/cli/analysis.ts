import { formatTicks } from '../core/time.js';
import { diffAlerts, PairedDetector, type Difference } from '../detect/compare.js';
import type { Alert, Detector } from '../detect/detector.js';
import { formatExplanation } from '../detect/explain.js';
import { isImprovedAlert, type ImprovedAlert } from '../detect/improved/alert.js';
import { ImprovedDetector } from '../detect/improved/detector.js';
import { createDetector } from '../detect/index.js';
import { describeRule, resolveRuleConfig, RuleConfigError, type RuleConfig, type RuleOptions } from '../rule/config.js';
import { escapeTerminal, safeJsonStringify } from '../sinks/escape.js';
import { toAlertRecord } from '../sinks/alert-record.js';
import { toImprovedAlertRecord } from '../sinks/improved-record.js';
import { UsageError } from './exit.js';

/** A scan that prints an analysis (--explain or --compare) in place of the alert list. */
export interface Analysis {
  readonly detector: Detector;
  /** Renders the analysis after the scan; `json` selects the JSON form. */
  render(alerts: readonly Alert[], json: boolean): string;
}

export interface AnalysisOptions extends RuleOptions {
  explain?: string;
  compare?: boolean;
  output?: string;
  failOnAlert?: boolean;
}

function ruleFor(options: RuleOptions): RuleConfig {
  try {
    return resolveRuleConfig(options);
  } catch (error) {
    if (error instanceof RuleConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Returns the rule options of the scan itself. With --compare that is the improved side: each mode keeps
 * its own default window unless --window names one for both, so --frequency and --start then apply to the
 * parity side only.
 */
export function scanRuleOptions(options: AnalysisOptions): RuleOptions {
  if (!options.compare) return options;
  const improved: RuleOptions = { ...options, mode: 'improved' };
  if (options.window === undefined) {
    improved.frequency = undefined;
    improved.start = undefined;
  }
  return improved;
}

/** Returns the analysis the options request, or null for a plain scan. */
export function prepareAnalysis(options: AnalysisOptions, rule: RuleConfig): Analysis | null {
  if (options.explain !== undefined && options.compare) throw new UsageError('--explain and --compare cannot be combined; run them one at a time');
  let analysisName: string | null = null;
  if (options.explain !== undefined) analysisName = '--explain';
  else if (options.compare) analysisName = '--compare';
  // An analysis prints text, or JSON with --output json; it prints no alert list, so the other formats do not apply.
  if (analysisName !== null && options.output !== undefined && options.output !== 'table' && options.output !== 'json') {
    throw new UsageError(`${analysisName} prints text or, with --output json, JSON; --output ${options.output} does not apply`);
  }
  if (analysisName !== null && options.failOnAlert) {
    throw new UsageError(`${analysisName} prints an analysis, not alerts, so --fail-on-alert does not apply; run a plain scan for that`);
  }

  if (options.explain !== undefined) {
    if (rule.mode !== 'improved') throw new UsageError('--explain explains improved mode; drop --mode parity');
    const user = options.explain;
    const detector = new ImprovedDetector(rule, { explainUser: user });
    return {
      detector,
      render: (alerts) => formatExplanation(user, detector, alerts.filter(isImprovedAlert)),
    };
  }

  if (options.compare) {
    const parityRule = ruleFor({ ...options, mode: 'parity' });
    const improvedRule = ruleFor(scanRuleOptions(options));
    const paired = new PairedDetector(createDetector(parityRule), new ImprovedDetector(improvedRule));
    return {
      detector: paired,
      render: (_alerts, json) => {
        const differences = diffAlerts(paired, parityRule);
        return json ? formatDifferencesJson(differences) : formatDifferences(paired, parityRule, differences);
      },
    };
  }
  return null;
}

function formatDifferencesJson(differences: readonly Difference[]): string {
  const records = differences.map((difference) => ({
    Only: difference.only,
    Reasons: difference.reasons.map((reason) => ({ Code: reason.code, Detail: reason.detail })),
    Alert: isImprovedAlert(difference.alert) ? toImprovedAlertRecord(difference.alert) : toAlertRecord(difference.alert),
  }));
  return safeJsonStringify(records, 2) + '\n';
}

function formatDifferences(paired: PairedDetector, parityRule: RuleConfig, differences: readonly Difference[]): string {
  const parityOnly = differences.filter((difference) => difference.only === 'parity').length;
  const lines = [
    `Parity: ${describeRule(parityRule)}`,
    `Improved: ${describeRule(paired.improved.rule)}`,
    `Parity alerts: ${paired.parityAlerts.length}; improved alerts: ${paired.improvedAlerts.length}; ` +
      `only in parity: ${parityOnly}; only in improved: ${differences.length - parityOnly}`,
  ];
  for (const difference of differences) {
    const alert = difference.alert;
    const improved = isImprovedAlert(alert) ? (alert as ImprovedAlert) : null;
    lines.push(
      `only ${difference.only}: ${escapeTerminal(alert.UserPrincipalName)} [${escapeTerminal(alert.Type)}] ` +
        `${formatTicks(alert.StartTime)} to ${formatTicks(alert.EndTime)}, ${alert.SigninCount} ${improved === null ? 'rows' : 'attempts'}, ${alert.LocationCount} locations`,
    );
    for (const reason of difference.reasons) lines.push(`    ${reason.code}: ${escapeTerminal(reason.detail)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Describes what improved mode counted, for the scan summary, or returns null for parity mode. Call it after
 * finish(), when the detector still keeps every attempt of a batch scan.
 */
export function describeImprovedCounts(detector: Detector): string | null {
  let improved: ImprovedDetector;
  if (detector instanceof PairedDetector) improved = detector.improved;
  else if (detector instanceof ImprovedDetector) improved = detector;
  else return null;

  const counts = improved.counts();
  return (
    `[+] Improved mode: ${counts.attempts} failed attempts by ${counts.users} users after collapsing ${counts.duplicateRows} duplicate rows; ` +
    `${counts.unknownLocations} attempts without a known ${improved.rule.locationGranularity}-level location\n`
  );
}
