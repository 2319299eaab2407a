#!/usr/bin/env node
import { Command, Option } from 'commander';
import { toolVersion } from '../core/version.js';
import { SENTINEL_RULE } from '../rule/sentinel-rule.js';
import { LAYOUTS } from '../decoders/layouts.js';
import { ExitCode, UsageError } from './exit.js';
import { scanCommand, type ScanCommandOptions } from './scan-command.js';
import { registerInspectCommand } from './inspect-command.js';
import { registerGenerateCommand } from './generate-command.js';


const program = new Command();

// Set before any subcommand is added, because subcommands copy this setting when they are created:
// every usage error then exits with 2, never with 1, which means "alerts found".
program.exitOverride((error) => {
  process.exit(error.exitCode === 0 ? 0 : ExitCode.Usage);
});

program
  .name('crackwatch')
  .description('Detects distributed password-cracking attempts in Microsoft Entra ID sign-in logs.')
  .version(toolVersion(), '-V, --version', 'print the version')
  .showHelpAfterError('(run with --help for usage)');

program
  .command('scan')
  .description("Scans exported sign-in logs and prints the alerts of the Sentinel rule '" + SENTINEL_RULE.name + "'.")
  .argument('[inputs...]', 'files, folders (read recursively), glob patterns, or - for standard input (the default)')
  .addOption(new Option('--format <layout>', 'input layout; auto detects it per file').choices([...LAYOUTS]).default('auto'))
  .option('--mode <mode>', 'detection mode: improved counts de-duplicated attempts per user; parity reproduces the Sentinel rule exactly', 'improved')
  .option('--location-granularity <level>', 'improved mode: what makes a location distinct (city, state or country)', 'city')
  .option('--window <kind>', 'scheduled (Sentinel runs; default in parity mode) or sliding (every period, any alignment; default in improved mode)')
  .option('--period <duration>', 'lookback of each window, e.g. 1d, 12h', SENTINEL_RULE.queryPeriod)
  .option('--frequency <duration>', 'time between scheduled runs, e.g. 1d (scheduled windows only)')
  .option('--start <time>', 'first scheduled run, ISO 8601 UTC (default: 00:00 UTC of the earliest event day)')
  .option('--failure-threshold <n>', 'alert when more than this many failures fall in a window', String(SENTINEL_RULE.failureThreshold))
  .option('--location-threshold <n>', 'alert when at least this many distinct locations fall in a window', String(SENTINEL_RULE.locationThreshold))
  .option('--explain <upn>', 'print, for this user, every window tested, its counts and thresholds, and the rows not counted')
  .option('--compare', 'run parity and improved modes in one pass and list the alerts only one raises, with the reason')
  .option('--codes <list>', 'comma-separated ResultType codes counted as failures', SENTINEL_RULE.resultTypes.join(','))
  .addOption(new Option('--output <format>', 'alert format (default: table on a terminal, else ndjson)').choices(['table', 'ndjson', 'json', 'csv']))
  .option('-o, --output-file <file>', 'write alerts to this file instead of standard output')
  .option('--report <file>', 'also write a self-contained HTML report (alerts, timelines, map, evidence) to this file')
  .option('--fail-on-alert', 'exit with code 1 when any alert is raised')
  .option('--time-zone <zone>', 'zone of timestamps written without one: UTC or an offset such as +02:00')
  .addOption(new Option('--time-format <order>', 'day/month order of dates such as 01/09/2007 (the portal form M/D/YYYY, h:mm AM is always month first)').choices(['mdy', 'dmy']))
  .option('--table <name>', 'table to assume for rows that do not name theirs (SigninLogs or AADNonInteractiveUserSignInLogs)')
  .option('--max-record-size <size>', 'largest record held in memory; larger ones are skipped and counted', '16MB')
  .option('--strict', 'stop with exit code 3 at the first invalid record instead of skipping it')
  .option('--threads <n|auto>', 'threads that read, the main one included: byte ranges of large JSON-lines files, and several files at once (default: auto, every core up to 4 when the files total 2 GiB or more, else 1)')
  .option('--no-prefilter', 'parse every record, also those that hold no counted ResultType (slower; full counts per table)')
  .option('--no-progress', 'do not show progress on standard error')
  .addOption(new Option('-q, --quiet', 'print only alerts, no summary or warnings').conflicts('verbose'))
  .option('-v, --verbose', 'print every skipped record')
  .addHelpText(
    'after',
    `
Examples:
  crackwatch scan samples/
  crackwatch scan 'exports/**/*.json' --output csv -o alerts.csv
  crackwatch scan SigninLogs.csv --window sliding --fail-on-alert
  crackwatch scan samples/ --explain harry.potter@hogwarts.com
  crackwatch scan samples/ --compare
  crackwatch scan exports/ --report report.html

Exit codes: 0 scan completed, 1 alerts found with --fail-on-alert, 2 usage error, an input not found,
or no sign-in record readable, 3 invalid record with --strict, 4 alerts could not be written.`,
  )
  .action(async (inputs: string[], options: ScanCommandOptions) => {
    process.exitCode = await scanCommand(inputs, options);
  });

registerInspectCommand(program);
registerGenerateCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`[x] ${error.message}\n`);
    process.exit(ExitCode.Usage);
  }
  throw error;
}
