import type { Command } from 'commander';
import { Option } from 'commander';
import { formatTicks } from '../core/time.js';
import { FRAMING_TEXT, LAYOUTS, SCHEMA_TEXT, type LayoutName } from '../decoders/layouts.js';
import { SKIP_REASON_TEXT } from '../decoders/schemas/result.js';
import { classifyRecord } from '../detect/rule-filter.js';
import type { Detector } from '../detect/detector.js';
import { runScan, type ScanResult } from '../pipeline/scan.js';
import { fileWarnings, qualityWarnings, type QualityWarning } from '../pipeline/quality.js';
import { totalsOf, type FileStats } from '../pipeline/stats.js';
import { resolveRuleConfig, type RuleConfig } from '../rule/config.js';
import { escapeTerminal, safeJsonStringify } from '../sinks/escape.js';
import { resolveInputs } from '../sources/inputs.js';
import { ExitCode, UsageError } from './exit.js';
import { parseSize, parseTimeOptions } from './scan-command.js';
import { formatSource, formatWarning } from './summary.js';

/**
 * `crackwatch inspect` reads inputs like `scan` but reports what was read instead of alerts. Per file it shows
 * the detected layout and encoding, records per table and skipped category, the time span, skipped records by
 * reason, and the data-quality warnings that change what a scan can conclude.
 */

export interface InspectCommandOptions {
  format: string;
  timeZone?: string;
  timeFormat?: string;
  table?: string;
  maxRecordSize: string;
  strict?: boolean;
  json?: boolean;
}

/** Builds a detector that only applies the rule's filters, so inspect can count the failures the rule would see. */
function filterOnly(rule: RuleConfig): Detector {
  return {
    rule,
    add: (signIn) => classifyRecord(signIn, rule),
    advanceWatermark: () => [],
    finish: () => [],
    snapshot: () => null,
  };
}

function counts(map: ReadonlyMap<string, number>, names?: Record<string, string>): string {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${escapeTerminal(names?.[key] ?? key)} ${count}`)
    .join(', ');
}

/** Formats one file's section of the report. */
export function describeInspectedFile(stats: FileStats): string[] {
  const lines = [escapeTerminal(stats.file)];
  if (stats.fatal !== null && stats.records === 0) {
    lines.push(`  not read: ${escapeTerminal(stats.fatal)}`);
    return lines;
  }

  const layouts = [...stats.schemas.keys()].map((schema) => SCHEMA_TEXT[schema]).join(' + ') || 'no sign-in records';
  const compression = stats.compression === 'gzip' ? 'gzip, ' : '';
  lines.push(`  layout:     ${layouts} (${FRAMING_TEXT[stats.framing]}, ${compression}${stats.encoding})`);
  const skipped = [...stats.skipped.values()].reduce((sum, count) => sum + count, 0);
  lines.push(`  records:    ${stats.records} read = ${stats.records - skipped} kept + ${skipped} skipped`);
  if (stats.tables.size > 0) lines.push(`  tables:     ${counts(stats.tables)}`);
  if (stats.otherCategories.size > 0) lines.push(`  categories not read by the rule: ${counts(stats.otherCategories)}`);
  const counted = stats.outcomes.get('counted') ?? 0;
  if (stats.tables.size > 0) lines.push(`  failures the rule counts: ${counted}`);
  if (stats.earliest !== null && stats.latest !== null) lines.push(`  time span:  ${formatTicks(stats.earliest)} to ${formatTicks(stats.latest)}`);
  for (const [reason, count] of [...stats.skipped.entries()].sort((a, b) => b[1] - a[1])) {
    const first = stats.firstSkipped.get(reason);
    lines.push(`  skipped:    ${count} ${SKIP_REASON_TEXT[reason]}${first !== undefined ? ` (first: ${formatSource(first)})` : ''}`);
  }
  for (const warning of fileWarnings(stats)) lines.push(`  warning:    ${formatWarning(warning)}`);
  if (stats.fatal !== null) lines.push(`  ERROR:      ${escapeTerminal(stats.fatal)}`);
  return lines;
}

/** Formats the whole report: one section per file, then totals and the warnings across files. */
export function formatInspectReport(result: ScanResult, warnings: readonly QualityWarning[]): string {
  const lines: string[] = [];
  for (const file of result.files) lines.push(...describeInspectedFile(file), '');

  const totals = totalsOf(result.files);
  lines.push(`Total: ${totals.files} input(s), ${totals.records} records read = ${totals.mapped} kept + ${totals.skipped} skipped`);
  if (totals.tables.size > 0) lines.push(`  tables:     ${counts(totals.tables)}`);
  if (totals.skippedByReason.size > 0) lines.push(`  skipped:    ${counts(totals.skippedByReason, SKIP_REASON_TEXT)}`);
  if (totals.earliest !== null && totals.latest !== null) lines.push(`  time span:  ${formatTicks(totals.earliest)} to ${formatTicks(totals.latest)}`);
  if (result.ignoredMembers.length > 0) lines.push(`  archive members not read, by extension: ${result.ignoredMembers.length}`);
  if (warnings.length === 0) lines.push('No data-quality warnings.');
  else {
    lines.push('Data-quality warnings:');
    for (const warning of warnings) lines.push(`  [!] ${formatWarning(warning)}`);
  }
  return lines.join('\n') + '\n';
}

function mapObject(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(map);
}

/** Returns the report as JSON-safe data, for scripts and tests. */
export function inspectReportData(result: ScanResult, warnings: readonly QualityWarning[]): unknown {
  return {
    files: result.files.map((stats) => ({
      file: stats.file,
      layouts: [...stats.schemas.keys()],
      framing: stats.framing,
      encoding: stats.encoding,
      compression: stats.compression,
      records: stats.records,
      tables: mapObject(stats.tables),
      otherCategories: mapObject(stats.otherCategories),
      counted: stats.outcomes.get('counted') ?? 0,
      skipped: mapObject(stats.skipped),
      warnings: mapObject(stats.warnings),
      earliest: stats.earliest === null ? null : formatTicks(stats.earliest),
      latest: stats.latest === null ? null : formatTicks(stats.latest),
      fatal: stats.fatal,
    })),
    ignoredMembers: result.ignoredMembers,
    warnings: warnings.map((warning) => ({ code: warning.code, count: warning.count, text: warning.text, first: warning.first })),
    invalidRecord: result.invalidRecord,
  };
}

/** Runs `crackwatch inspect`; returns the exit code. */
export async function inspectCommand(inputArguments: string[], options: InspectCommandOptions): Promise<number> {
  if (!(LAYOUTS as readonly string[]).includes(options.format)) {
    throw new UsageError(`invalid --format: "${options.format}" is not one of: ${LAYOUTS.join(', ')}`);
  }
  const time = parseTimeOptions(options);
  const maxRecordBytes = parseSize(options.maxRecordSize);

  const { inputs, problems } = await resolveInputs(inputArguments);
  for (const problem of problems) process.stderr.write(`[!] ${escapeTerminal(problem.argument)}: ${problem.message}\n`);
  if (inputs.length === 0) {
    process.stderr.write('[x] no input to read; give files, folders, glob patterns or - for standard input\n');
    return ExitCode.Usage;
  }

  const result = await runScan(inputs, filterOnly(resolveRuleConfig()), {
    layout: options.format as LayoutName,
    time,
    maxRecordBytes,
    tableHint: options.table ?? null,
    strict: options.strict === true,
  });
  const warnings = qualityWarnings(result.files, result.ids, options.json ? Number.POSITIVE_INFINITY : undefined);
  process.stdout.write(options.json ? safeJsonStringify(inspectReportData(result, warnings), 2) + '\n' : formatInspectReport(result, warnings));

  if (result.invalidRecord !== null) {
    const invalid = result.invalidRecord;
    const message = escapeTerminal(invalid.message).replace(/\.$/, '');
    process.stderr.write(`[x] ${formatSource(invalid.source)}: invalid record (${invalid.reason}): ${message}. --strict stopped reading here\n`);
    return ExitCode.InvalidRecord;
  }
  return result.files.some((file) => file.fatal === null || file.records > 0) ? ExitCode.Ok : ExitCode.Usage;
}

/** Adds the `inspect` command to the program. */
export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('Reports what sign-in logs contain: layout, encoding, records, tables, time span, skipped records and data-quality warnings.')
    .argument('[inputs...]', 'files, folders (read recursively), glob patterns, zip archives, or - for standard input (the default)')
    .addOption(new Option('--format <layout>', 'input layout; auto detects it per file and record').choices([...LAYOUTS]).default('auto'))
    .option('--time-zone <zone>', 'zone of timestamps written without one: UTC or an offset such as +02:00')
    .addOption(new Option('--time-format <order>', 'day/month order of dates such as 01/09/2007').choices(['mdy', 'dmy']))
    .option('--table <name>', 'table to assume for rows that do not name theirs (SigninLogs or AADNonInteractiveUserSignInLogs)')
    .option('--max-record-size <size>', 'largest record held in memory; larger ones are skipped and counted', '16MB')
    .option('--strict', 'stop with exit code 3 at the first invalid record')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExamples:\n  crackwatch inspect exports/\n  crackwatch inspect InteractiveSignIns_2026-05-29_2026-06-05.csv --json\n\nExit codes: 0 read, 2 usage error or no readable input, 3 invalid record with --strict.')
    .action(async (inputs: string[], options: InspectCommandOptions) => {
      process.exitCode = await inspectCommand(inputs, options);
    });
}
