import type { RecordSource } from '../core/signin.js';
import { formatTicks } from '../core/time.js';
import { FRAMING_TEXT, SCHEMA_TEXT } from '../decoders/layouts.js';
import { SKIP_REASON_TEXT } from '../decoders/schemas/result.js';
import type { QualityWarning } from '../pipeline/quality.js';
import type { FileStats, ScanTotals } from '../pipeline/stats.js';
import { escapeTerminal } from '../sinks/escape.js';

/** Formats where a record was: "file:line", or "file record N" for layouts without lines. */
export function formatSource(source: RecordSource): string {
  return escapeTerminal(source.line > 0 ? `${source.file}:${source.line}` : `${source.file} record ${source.index}`);
}

/** Formats one data-quality warning as a line without prefix. */
export function formatWarning(warning: QualityWarning): string {
  const count = warning.count > 0 && !['gap', 'overlap'].includes(warning.code) ? `${warning.count} ` : '';
  const first = warning.first !== undefined ? ` (first: ${formatSource(warning.first)})` : '';
  return `${count}${escapeTerminal(warning.text)}${first}`;
}

export const WARNING_TEXT: Record<string, string> = {
  'no-time-generated': 'rows without TimeGenerated; CreatedDateTime (the sign-in time, usually minutes earlier) was used',
  'corrupted-nested-field': 'records whose nested object was flattened into text; their location or device is unknown',
};

function mapText<K extends string>(map: Map<K, number>, names?: Record<string, string>): string {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${escapeTerminal(names?.[key] ?? key)} ${count}`)
    .join(', ');
}

/** Describes one file: layout, framing, encoding, records per table, skipped records. */
export function describeFile(stats: FileStats): string {
  const noLayout = stats.passedOver > 0 ? 'no sign-in record among those parsed' : 'no sign-in records';
  const layouts = [...stats.schemas.keys()].map((schema) => SCHEMA_TEXT[schema]).join(' + ') || noLayout;
  const encoding = stats.compression === 'gzip' ? `gzip, ${stats.encoding}` : stats.encoding;
  if (stats.fatal !== null && stats.records === 0 && stats.framing === 'empty') return `${escapeTerminal(stats.file)}: not read — ERROR: ${escapeTerminal(stats.fatal)}`;
  let line = `${escapeTerminal(stats.file)}: ${layouts} (${FRAMING_TEXT[stats.framing]}, ${encoding}), ${stats.records} records`;
  if (stats.tables.size > 0) line += ` [${mapText(stats.tables)}]`;
  if (stats.passedOver > 0) line += `, ${stats.passedOver} passed over unparsed`;
  if (stats.skipped.size > 0) line += `, skipped: ${mapText(stats.skipped, SKIP_REASON_TEXT)}`;
  if (stats.fatal !== null) line += ` — ERROR: ${escapeTerminal(stats.fatal)}`;
  return line;
}

/** Formats the end-of-scan summary for standard error. */
export function formatSummary(
  files: readonly FileStats[],
  totals: ScanTotals,
  alertCount: number,
  ruleText: string,
  warnings: readonly QualityWarning[],
): string {
  const lines: string[] = [];
  lines.push(`[+] Rule: ${ruleText}`);
  lines.push(`[+] Read ${totals.files} input(s): ${totals.records} records, ${totals.mapped} sign-ins, ${totals.skipped} skipped`);
  for (const file of files) lines.push(`    ${describeFile(file)}`);

  if (totals.tables.size > 0) lines.push(`[+] Sign-ins per table: ${mapText(totals.tables)}`);
  const notCounted = totals.mapped - totals.counted;
  lines.push(`[+] Failures counted by the rule: ${totals.counted} (${notCounted} other sign-ins not counted)`);
  if (totals.passedOver > 0) {
    lines.push(
      `[+] Passed over by the pre-filter: ${totals.passedOver} records without a counted ResultType, not parsed, so not in the ` +
        'counts per table, skipped records or time span (--no-prefilter parses every record)',
    );
  }
  // Records of other sign-in categories are expected in diagnostic exports, so they are reported apart from faults.
  const faults = new Map([...totals.skippedByReason].filter(([reason]) => reason !== 'other-category'));
  if (faults.size > 0) lines.push(`[!] Skipped records by reason: ${mapText(faults, SKIP_REASON_TEXT)}`);
  if (totals.otherCategories.size > 0) lines.push(`[+] Other sign-in categories skipped (not read by the rule): ${mapText(totals.otherCategories)}`);
  for (const warning of warnings) lines.push(`[!] ${formatWarning(warning)}`);
  if (totals.earliest !== null && totals.latest !== null) {
    lines.push(`[+] Time span: ${formatTicks(totals.earliest)} to ${formatTicks(totals.latest)}`);
  }
  lines.push(`[+] Alerts: ${alertCount}`);
  return lines.join('\n') + '\n';
}
