import { realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RecordSource } from '../core/signin.js';
import { formatTicks, parseUtcOffset, type TimeParseOptions } from '../core/time.js';
import { LAYOUTS, type LayoutName } from '../decoders/layouts.js';
import type { SkipReason } from '../decoders/schemas/result.js';
import { PREFILTER_SAMPLE_RECORDS } from '../decoders/prefilter.js';
import { createDetector } from '../detect/index.js';
import { CandidateUserCounter } from '../detect/improved/candidate-users.js';
import { ImprovedDetector } from '../detect/improved/detector.js';
import { defaultThreads, fileStates, runScan, type ScanOptions } from '../pipeline/scan.js';
import { qualityWarnings } from '../pipeline/quality.js';
import { totalsOf } from '../pipeline/stats.js';
import { describeRule, resolveRuleConfig, RuleConfigError, type RuleConfig, type RuleOptions } from '../rule/config.js';
import { formatCsv } from '../sinks/csv.js';
import { escapeTerminal } from '../sinks/escape.js';
import { formatJson, formatNdjson } from '../sinks/json.js';
import { formatTable } from '../sinks/table.js';
import { resolveInputs, type Input } from '../sources/inputs.js';
import { describeImprovedCounts, prepareAnalysis, scanRuleOptions, type AnalysisOptions } from './analysis.js';
import { Progress } from './progress.js';
import { formatSource, formatSummary } from './summary.js';
import { parseByteSize } from './byte-size.js';
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
  strict?: boolean;
  prefilter?: boolean;
  threads?: string;
  report?: string;
}

const OUTPUTS = ['table', 'ndjson', 'json', 'csv'] as const;
type OutputFormat = (typeof OUTPUTS)[number];

/** Smallest --max-record-size: real sign-in records reach 44 KB (one with a long Conditional Access policy list). */
const MIN_RECORD_BYTES = 64 * 1024;

/** Tables the --table option accepts: those the rule reads. */
const TABLES = ['SigninLogs', 'AADNonInteractiveUserSignInLogs'];

/** How many skipped records are printed per file and reason before only counting (all with --verbose). */
const SKIP_MESSAGES_SHOWN = 5;

/** Most threads --threads accepts. */
const MAX_THREADS = 64;

export function parseTimeOptions(options: { timeZone?: string; timeFormat?: string }): TimeParseOptions {
  let assumedOffsetMinutes: number | null = null;
  if (options.timeZone !== undefined) {
    const zone = options.timeZone.trim();
    if (/^(utc|z|gmt)$/i.test(zone)) {
      assumedOffsetMinutes = 0;
    } else if (/^[+-]\d{2}:?\d{2}$/.test(zone)) {
      try {
        assumedOffsetMinutes = parseUtcOffset(zone);
      } catch (error) {
        throw new UsageError(`invalid --time-zone: ${(error as Error).message}`);
      }
    } else {
      throw new UsageError(`invalid --time-zone: "${options.timeZone}" is not UTC or an offset such as +02:00`);
    }
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

/** Parses --max-record-size, which must leave room for the largest real sign-in records. */
export function parseSize(text: string): number {
  const bytes = parseByteSize('--max-record-size', text, '16MB');
  if (bytes < MIN_RECORD_BYTES) throw new UsageError(`invalid --max-record-size: "${text}" is below the minimum of 64KB`);
  return bytes;
}

function samePath(a: string, b: string): boolean {
  const resolve = (file: string): string => {
    try {
      return realpathSync(file);
    } catch {
      return path.resolve(file);
    }
  };
  return resolve(a) === resolve(b);
}

/** Rejects an output path that is also an input, or that -o and --report share: writing it would destroy evidence. */
function checkOutputPaths(inputs: readonly Input[], options: ScanCommandOptions): void {
  const outputs: [string, string | undefined][] = [
    ['-o', options.outputFile],
    ['--report', options.report],
  ];
  for (const [option, target] of outputs) {
    if (target === undefined) continue;
    const input = inputs.find((candidate) => candidate.kind === 'file' && samePath(candidate.path, target));
    if (input !== undefined) {
      throw new UsageError(`${option} ${target} is also an input; writing it would overwrite the logs, so choose another file`);
    }
  }
  if (options.outputFile !== undefined && options.report !== undefined && samePath(options.outputFile, options.report)) {
    throw new UsageError(`-o and --report name the same file ${options.report}; choose two files`);
  }
}

/**
 * Runs the first pass of an improved scan whose inputs are all files: finds the users who can raise an
 * alert, so that the second pass keeps successful sign-ins for them only. It reads only the records the pre-filter
 * keeps, and reports nothing: the second pass reads everything and reports it. Returns null for parity mode
 * and for standard input, which cannot be read twice; the scan then keeps every user's successes.
 * A user the first pass undercounts (a ResultType the pre-filter cannot read) is caught by the full pass,
 * which then makes the scan read again (see missedSuccessUsers).
 */
async function findCandidateUsers(
  inputs: readonly Input[],
  rule: RuleConfig,
  progress: Progress,
  options: Pick<ScanOptions, 'layout' | 'time' | 'maxRecordBytes' | 'tableHint' | 'threads' | 'prefilter'>,
): Promise<ReadonlySet<string> | null> {
  if (rule.mode !== 'improved' || inputs.some((input) => input.kind !== 'file')) return null;
  const counter = new CandidateUserCounter(rule);
  await runScan(inputs, counter, { ...options, onSignIn: () => progress.tick(), onFileDone: (stats) => progress.fileDone(stats.file) });
  progress.clear();
  return counter.candidates();
}

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.once('error', reject);
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
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
  if (options.table !== undefined && !TABLES.includes(options.table)) {
    throw new UsageError(`invalid --table: "${options.table}" is not one of: ${TABLES.join(', ')} (names are case-sensitive)`);
  }
  const autoThreads = options.threads === undefined || options.threads === 'auto';
  const requestedThreads = autoThreads ? 1 : Number(options.threads);
  // Each thread costs its own heap (tens of MB), so a count far past any machine's cores is a typo.
  if (!Number.isSafeInteger(requestedThreads) || requestedThreads < 1 || requestedThreads > MAX_THREADS) {
    throw new UsageError(`invalid --threads: "${options.threads}" is not a whole number from 1 to ${MAX_THREADS}, or auto`);
  }

  const { inputs, problems, ignored } = await resolveInputs(inputArguments);
  // Improved mode parses every record, so threads pay from smaller inputs (when the first pass allows them).
  const threads = autoThreads ? defaultThreads(inputs, rule.mode === 'improved' && options.compare !== true && options.explain === undefined) : requestedThreads;
  checkOutputPaths(inputs, options);
  for (const problem of problems) stderr(`[!] ${escapeTerminal(problem.argument)}: ${problem.message}\n`);
  if (ignored.length > 0 && !options.quiet) {
    const names = ignored.slice(0, 3).map(escapeTerminal).join(', ');
    stderr(`[!] ${ignored.length} file(s) in folders not read, by extension: ${names}${ignored.length > 3 ? ', ...' : ''} (name a file to read it)\n`);
  }
  if (inputs.length === 0) {
    stderr('[x] no input to read; give files, folders, glob patterns or - for standard input\n');
    return ExitCode.Usage;
  }

  // The report's modules (map data, charts) take about 50 ms to load, so only a scan that writes one loads them.
  const report = options.report === undefined ? null : await import('../sinks/report/index.js');
  const reportProblem = options.report === undefined || report === null ? null : await report.checkReportTarget(options.report);
  if (reportProblem !== null) throw new UsageError(reportProblem);

  const analysis = prepareAnalysis(options, rule);
  const showProgress = options.progress !== false && !options.quiet && process.stderr.isTTY === true;
  // The report's evidence needs every sign-in, successes included, and --strict must see every record to
  // stop at the first invalid one, so both turn the pre-filter off.
  const prefilter = options.prefilter !== false && options.report === undefined && options.strict !== true;
  // Taken before the first pass, so that a file changed during it is reported too.
  const filesBefore = fileStates(inputs);
  const successUsers =
    analysis === null
      ? await findCandidateUsers(inputs, rule, new Progress(showProgress, 'first pass, counting failures per user'), {
          layout: options.format as LayoutName,
          time,
          maxRecordBytes,
          tableHint: options.table ?? null,
          threads,
          prefilter,
        })
      : null;
  let detector = analysis?.detector ?? createDetector(rule, successUsers === null ? {} : { successUsers });
  const collector = report === null ? null : new report.SignInCollector(rule, report.DEFAULT_COLLECT_LIMITS, rule.mode === 'parity');
  const progress = new Progress(showProgress);
  const shownSkips = new Map<string, number>();

  let firstSkipMessage: string | null = null;
  const onSkip = (reason: SkipReason, source: RecordSource, message: string): void => {
    if (reason !== 'other-category') firstSkipMessage ??= message;
    const key = `${source.file}\u0000${reason}`;
    const shown = shownSkips.get(key) ?? 0;
    shownSkips.set(key, shown + 1);
    // Records of other categories are expected in diagnostic exports; the summary counts them by category.
    if (options.quiet || reason === 'other-category') return;
    if (options.verbose || shown < SKIP_MESSAGES_SHOWN) {
      const where = source.line > 0 ? `${source.file}:${source.line} (record ${source.index})` : `${source.file} record ${source.index}`;
      progress.clear();
      stderr(`[!] ${escapeTerminal(where)}: skipped (${reason}): ${escapeTerminal(message)}\n`);
    } else if (shown === SKIP_MESSAGES_SHOWN) {
      progress.clear();
      stderr(`[!] ${escapeTerminal(source.file)}: more records skipped for ${reason}; counts follow in the summary (--verbose shows each)\n`);
    }
  };

  const scanOptions: ScanOptions = {
    layout: options.format as LayoutName,
    time,
    maxRecordBytes,
    tableHint: options.table ?? null,
    strict: options.strict === true,
    prefilter,
    threads,
    skipEventLimit: options.verbose ? undefined : SKIP_MESSAGES_SHOWN + 1,
    onSkip,
    onSignIn: (signIn) => {
      progress.tick();
      collector?.add(signIn);
    },
    onFileDone: (stats) => progress.fileDone(stats.file),
    // The report's evidence needs every sign-in, which threads do not hand over.
    everySignIn: collector !== null,
    filesBefore,
  };
  let result = await runScan(inputs, detector, scanOptions);
  if (successUsers !== null && detector instanceof ImprovedDetector && detector.missedSuccessUsers.size > 0) {
    // The first pass counted fewer failures for some users than this one did (the pre-filter passed over
    // rows it cannot read, such as a ResultType of 5.0126e4), so their successes were not kept. Reading
    // everything again with them included gives the alerts a single pass would give. Skips and sign-ins
    // were reported by the pass before.
    const everyone = new Set([...successUsers, ...detector.missedSuccessUsers]);
    detector = createDetector(rule, { successUsers: everyone });
    result = await runScan(inputs, detector, { ...scanOptions, onSkip: undefined, onSignIn: () => progress.tick() });
  }
  progress.clear();

  const totals = totalsOf(result.files);
  if (result.invalidRecord !== null) {
    const invalid = result.invalidRecord;
    // The message can name where reading would resume, so the sentence after it states that --strict stopped it.
    const message = escapeTerminal(invalid.message).replace(/\.$/, '');
    stderr(`[x] ${formatSource(invalid.source)}: invalid record (${invalid.reason}): ${message}. --strict stopped the scan here, so no alerts were written (without --strict the record is skipped and counted, and reading goes on)\n`);
    return ExitCode.InvalidRecord;
  }
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

  if (!options.quiet && rule.window.kind === 'scheduled' && rule.window.start !== null && totals.earliest !== null) {
    // Sentinel runs only from the start time on, so rows older than the first run's lookback are read by no run.
    const firstLookback = rule.window.start - rule.window.period;
    if (totals.earliest < firstLookback) {
      const all = totals.latest !== null && totals.latest < firstLookback;
      stderr(`[!] --start ${formatTicks(rule.window.start)}: ${all ? 'every row is' : 'rows are'} older than ${formatTicks(firstLookback)}, the first run's lookback, and ${all ? 'is' : 'are'} read by no run\n`);
    }
  }
  if (!options.quiet) {
    stderr(formatSummary(result.files, totals, result.alerts.length, describeRule(rule), qualityWarnings(result.files, result.ids)) + (describeImprovedCounts(detector) ?? ''));
    if (result.ignoredMembers.length > 0) {
      const names = result.ignoredMembers.slice(0, 3).map(escapeTerminal).join(', ');
      stderr(`[!] ${result.ignoredMembers.length} archive member(s) not read, by extension: ${names}${result.ignoredMembers.length > 3 ? ', ...' : ''}\n`);
    }
  }

  let reportFailed = false;
  if (options.report !== undefined && report !== null && collector !== null) {
    try {
      await report.writeReport(options.report, { files: result.files, totals, rule, alerts: result.alerts.map(report.toAlertSummary), collector });
      if (!options.quiet) stderr(`[+] Report written to ${escapeTerminal(options.report)}\n`);
    } catch (error) {
      stderr(`[x] ${escapeTerminal((error as Error).message)}\n`);
      reportFailed = true;
    }
  }


  try {
    if (options.outputFile !== undefined) await writeFile(options.outputFile, rendered);
    else await writeStdout(rendered);
  } catch (error) {
    // A reader such as `head` that stops early closes the pipe; that is not a failure of the scan.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE' && options.outputFile === undefined) return ExitCode.Ok;
    // The alerts exist only in memory now, so the message names the count and asks for another destination.
    const target = options.outputFile ?? 'standard output';
    stderr(`[x] cannot write ${result.alerts.length} alert(s) to ${escapeTerminal(target)}: ${(error as Error).message}; choose another -o file\n`);
    return ExitCode.OutputFailed;
  }

  // Records known to be sign-ins: those mapped, and those of sign-in categories the rule does not read.
  const recognized = totals.mapped + (totals.skippedByReason.get('other-category') ?? 0);
  if (totals.records === 0 && result.files.every((file) => file.fatal === null)) {
    stderr('[x] the input contains no records (empty files, or an empty JSON array); check that the right files were given\n');
    return ExitCode.Usage;
  }
  if (recognized === 0) {
    // The pre-filter keeps the first records of each input: when none of them is a sign-in, most likely no input contains one.
    const passed = totals.passedOver === 0 ? '' : `: none of the first ${PREFILTER_SAMPLE_RECORDS} records of any input is one, and the pre-filter passed over the other ${totals.passedOver}`;
    const reason = firstSkipMessage === null ? '' : ` (first skip: ${escapeTerminal(firstSkipMessage)})`;
    const advice = totals.passedOver === 0 ? '' : 'if later records are sign-ins, --no-prefilter parses them all; else ';
    stderr(`[x] no sign-in record could be read${passed}${reason}; ${advice}check the layout with --verbose or force it with --format\n`);
    return ExitCode.Usage;
  }
  if (problems.length > 0) {
    stderr(`[x] ${problems.length} input argument(s) named nothing readable (listed above); the rest was scanned\n`);
    return ExitCode.Usage;
  }
  if (reportFailed) return ExitCode.OutputFailed;
  if (options.failOnAlert && result.alerts.length > 0) return ExitCode.AlertsFound;
  return ExitCode.Ok;
}
