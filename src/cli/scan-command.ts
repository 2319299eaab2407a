import { writeFile } from 'node:fs/promises';
import type { RecordSource } from '../core/signin.js';
import { type TimeParseOptions } from '../core/time.js';
import { LAYOUTS, type LayoutName } from '../decoders/layouts.js';
import type { SkipReason } from '../decoders/schemas/result.js';
import { createDetector } from '../detect/index.js';
import { runScan } from '../pipeline/scan.js';
import { totalsOf } from '../pipeline/stats.js';
import { describeRule, resolveRuleConfig, RuleConfigError, type RuleOptions } from '../rule/config.js';
import { formatCsv } from '../sinks/csv.js';
import { escapeTerminal } from '../sinks/escape.js';
import { formatJson, formatNdjson } from '../sinks/json.js';
import { formatTable } from '../sinks/table.js';
import { resolveInputs } from '../sources/inputs.js';
import { describeImprovedCounts, prepareAnalysis, scanRuleOptions, type AnalysisOptions } from './analysis.js';
import { Progress } from './progress.js';
import { formatSummary } from './summary.js';
import { ExitCode, UsageError } from './exit.js';

export interface ScanCommandOptions extends RuleOptions, AnalysisOptions {
  format: string;
  output?: string;
  outputFile?: string;
  failOnAlert?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  progress?: boolean;
  timeZone?: string;
  timeFormat?: string;
  table?: string;
  maxRecordSize: string;
}

const OUTPUTS = ['table', 'ndjson', 'json', 'csv'] as const;
type OutputFormat = (typeof OUTPUTS)[number];

/** How many skipped records are printed per file and reason before only counting (all with --verbose). */
const SKIP_MESSAGES_SHOWN = 5;

function parseTimeOptions(options: ScanCommandOptions): TimeParseOptions {
  let assumedOffsetMinutes: number | null = null;
  if (options.timeZone !== undefined) {
    const zone = options.timeZone.trim();
    const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (/^(utc|z|gmt)$/i.test(zone)) assumedOffsetMinutes = 0;
    else if (match !== null) assumedOffsetMinutes = (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
    else throw new UsageError(`invalid --time-zone: "${options.timeZone}" is not UTC or an offset such as +02:00`);
  }

  let slashDateOrder: 'mdy' | 'dmy' | null = null;
  if (options.timeFormat !== undefined) {
    if (options.timeFormat !== 'mdy' && options.timeFormat !== 'dmy') {
      throw new UsageError(`invalid --time-format: "${options.timeFormat}" is not mdy or dmy`);
    }
    slashDateOrder = options.timeFormat;
  }
  return { assumedOffsetMinutes, slashDateOrder };
}

function parseSize(text: string): number {
  const match = /^(\d+)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(text.trim());
  if (match === null) throw new UsageError(`invalid --max-record-size: "${text}" is not a size such as 16MB`);
  const unit = (match[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Number(match[1]) * factor;
}

/** Runs `crackwatch scan`; returns the exit code. */
export async function scanCommand(inputArguments: string[], options: ScanCommandOptions): Promise<number> {
  const stderr = (line: string): void => void process.stderr.write(line);

  let rule;
  try {
    rule = resolveRuleConfig(scanRuleOptions(options));
  } catch (error) {
    if (error instanceof RuleConfigError) throw new UsageError(error.message);
    throw error;
  }

  if (!(LAYOUTS as readonly string[]).includes(options.format)) {
    throw new UsageError(`invalid --format: "${options.format}" is not one of: ${LAYOUTS.join(', ')}`);
  }
  const output = (options.output ?? (process.stdout.isTTY && options.outputFile === undefined ? 'table' : 'ndjson')) as OutputFormat;
  if (!OUTPUTS.includes(output)) throw new UsageError(`invalid --output: "${options.output}" is not one of: ${OUTPUTS.join(', ')}`);
  const time = parseTimeOptions(options);
  const maxRecordBytes = parseSize(options.maxRecordSize);

  const { inputs, problems, ignored } = await resolveInputs(inputArguments);
  for (const problem of problems) stderr(`[!] ${escapeTerminal(problem.argument)}: ${problem.message}\n`);
  if (ignored.length > 0 && !options.quiet) {
    const names = ignored.slice(0, 3).map(escapeTerminal).join(', ');
    stderr(`[!] ${ignored.length} file(s) in folders not read, by extension: ${names}${ignored.length > 3 ? ', ...' : ''} (name a file to read it)\n`);
  }
  if (inputs.length === 0) {
    stderr('[x] no input to read; give files, folders, glob patterns or - for standard input\n');
    return ExitCode.Usage;
  }

  const analysis = prepareAnalysis(options, rule);
  const detector = analysis?.detector ?? createDetector(rule);
  const progress = new Progress(options.progress !== false && !options.quiet && process.stderr.isTTY === true);
  const shownSkips = new Map<string, number>();

  const onSkip = (reason: SkipReason, source: RecordSource, message: string): void => {
    const key = `${source.file}\u0000${reason}`;
    const shown = shownSkips.get(key) ?? 0;
    shownSkips.set(key, shown + 1);
    // Records of other categories are expected in diagnostic exports; the summary counts them by category.
    if (options.quiet || reason === 'other-category') return;
    if (options.verbose || shown < SKIP_MESSAGES_SHOWN) {
      const where = source.line > 0 ? `${source.file}:${source.line}` : `${source.file} record ${source.index}`;
      progress.clear();
      stderr(`[!] ${escapeTerminal(where)}: skipped (${reason}): ${escapeTerminal(message)}\n`);
    } else if (shown === SKIP_MESSAGES_SHOWN) {
      progress.clear();
      stderr(`[!] ${escapeTerminal(source.file)}: more records skipped for ${reason}; counts follow in the summary (--verbose shows each)\n`);
    }
  };

  const result = await runScan(inputs, detector, {
    layout: options.format as LayoutName,
    time,
    maxRecordBytes,
    tableHint: options.table ?? null,
    onSkip,
    onSignIn: () => progress.tick(),
    onFileDone: (stats) => progress.fileDone(stats.file),
  });
  progress.clear();

  const totals = totalsOf(result.files);
  let rendered = '';
  if (analysis !== null) rendered = analysis.render(result.alerts, options.output === 'json' || options.output === 'ndjson');
  else switch (output) {
    case 'table':
      rendered = formatTable(result.alerts, process.stdout.columns ?? 100);
      break;
    case 'ndjson':
      rendered = formatNdjson(result.alerts);
      break;
    case 'json':
      rendered = formatJson(result.alerts);
      break;
    case 'csv':
      rendered = formatCsv(result.alerts, rule.mode);
      break;
  }

  if (options.outputFile !== undefined) await writeFile(options.outputFile, rendered);
  else process.stdout.write(rendered);

  if (!options.quiet) stderr(formatSummary(result.files, totals, result.alerts.length, describeRule(rule)) + (describeImprovedCounts(detector) ?? ''));

  const readable = result.files.some((file) => file.fatal === null || file.records > 0);
  if (!readable) {
    stderr('[x] no input could be read\n');
    return ExitCode.Usage;
  }
  if (options.failOnAlert && result.alerts.length > 0) return ExitCode.AlertsFound;
  return ExitCode.Ok;
}
