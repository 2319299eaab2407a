import { readdir } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { parseByteSize } from './byte-size.js';
import { ATTACK_KINDS, DEFAULT_ATTACKS, DEFAULT_RATES, OUTPUT_LAYOUT_TEXT, OUTPUT_LAYOUTS, parseAttackCounts, type OutputLayout } from '../generate/catalog.js';
import type { GenerateOptions } from '../generate/generate.js';
import { ExitCode, UsageError } from './exit.js';

interface GenerateCommandOptions {
  out: string;
  users: string;
  days: string;
  seed: string;
  start: string;
  layout: string;
  attacks?: string;
  domain: string;
  guests: string;
  interactive: string;
  nonInteractive: string;
  duplicates: string;
  gzip?: boolean;
  splitSize?: string;
  quiet?: boolean;
}

function wholeNumber(option: string, text: string, minimum: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < minimum) throw new UsageError(`invalid ${option}: "${text}" is not a whole number >= ${minimum}`);
  return value;
}

function share(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new UsageError(`invalid ${option}: "${text}" is not a share between 0 and 1`);
  return value;
}

function rate(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`invalid ${option}: "${text}" is not a number >= 0`);
  return value;
}


/** Validates the options of `crackwatch generate`; every error names the option to fix. */
export function resolveGenerateOptions(options: GenerateCommandOptions): GenerateOptions {
  const layouts = options.layout === 'all' ? [...OUTPUT_LAYOUTS] : options.layout.split(',').map((name) => name.trim());
  for (const layout of layouts) {
    if (!(OUTPUT_LAYOUTS as readonly string[]).includes(layout)) {
      throw new UsageError(`invalid --layout: "${layout}" is not one of: ${OUTPUT_LAYOUTS.join(', ')}, all`);
    }
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.start) || Number.isNaN(Date.parse(`${options.start}T00:00:00Z`))) {
    throw new UsageError(`invalid --start: "${options.start}" is not a date such as 2026-03-02`);
  }
  let attacks = DEFAULT_ATTACKS;
  if (options.attacks !== undefined) {
    try {
      attacks = parseAttackCounts(options.attacks);
    } catch (error) {
      throw new UsageError(`invalid --attacks: ${(error as Error).message}`);
    }
  }
  const seedNumber = Number(options.seed);
  return {
    seed: Number.isSafeInteger(seedNumber) ? seedNumber : options.seed,
    users: wholeNumber('--users', options.users, 1),
    days: wholeNumber('--days', options.days, 1),
    startDate: options.start,
    domain: options.domain,
    guestShare: share('--guests', options.guests),
    attacks,
    rates: {
      interactivePerDay: rate('--interactive', options.interactive),
      nonInteractivePerDay: rate('--non-interactive', options.nonInteractive),
      duplicateShare: share('--duplicates', options.duplicates),
    },
    layouts: layouts as OutputLayout[],
    outDir: options.out,
    gzip: options.gzip === true,
    maxFileBytes: options.splitSize === undefined ? 0 : parseByteSize('--split-size', options.splitSize, '256MB'),
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Registers `crackwatch generate` on the program. */
export function registerGenerateCommand(program: Command): void {
  const layoutHelp = OUTPUT_LAYOUTS.map((layout) => `  ${layout.padEnd(11)} ${OUTPUT_LAYOUT_TEXT[layout]}`).join('\n');
  program
    .command('generate')
    .description('Writes a synthetic tenant\'s sign-in logs with labelled attacks, for testing and benchmarking.')
    .requiredOption('-o, --out <folder>', 'output folder (created if missing); each layout gets a subfolder')
    .option('--users <n>', 'number of users, members and guests', '50')
    .option('--days <n>', 'number of days of activity', '3')
    .option('--seed <seed>', 'seed; the same seed and options give the same bytes', '1')
    .option('--start <date>', 'first day (00:00 UTC), YYYY-MM-DD', '2026-03-02')
    .option('--layout <list>', 'comma-separated output layouts, or all', 'la-jsonl')
    .option('--attacks <list>', `attacks to stage, e.g. distributed=2,spray=1 (kinds: ${ATTACK_KINDS.join(', ')}; none for no attacks)`)
    .option('--domain <domain>', 'UPN domain of members', 'contoso.com')
    .option('--guests <share>', 'share of guest accounts (#EXT# UPNs), 0 to 1', '0.08')
    .option('--interactive <n>', 'mean interactive sign-in sessions per user and working day', String(DEFAULT_RATES.interactivePerDay))
    .option('--non-interactive <n>', 'mean non-interactive sign-ins per user and working day', String(DEFAULT_RATES.nonInteractivePerDay))
    .option('--duplicates <share>', 'share of records written twice, as Entra does, 0 to 1', String(DEFAULT_RATES.duplicateShare))
    .option('--gzip', 'compress every file with gzip (.gz)')
    .option('--split-size <size>', 'start a new file part after this many uncompressed bytes, e.g. 256MB')
    .option('--force', 'write into an output folder that is not empty (files of the same name are replaced)')
    .addOption(new Option('-q, --quiet', 'print nothing but errors'))
    .addHelpText(
      'after',
      `
Layouts:
${layoutHelp}

The folder also gets ground-truth.jsonl: one JSON object per attacked user with user, kind,
firstAttack, lastAttack (CreatedDateTime, ISO 8601 UTC), attempts, sourceIps, locations, tables,
succeeded and campaign.

Examples:
  crackwatch generate -o tenant --users 200 --days 7 --seed 42
  crackwatch generate -o bench --users 2000 --days 5 --layout la-jsonl,diagnostic --gzip --split-size 256MB
  crackwatch scan tenant/la-jsonl`,
    )
    .action(async (options: GenerateCommandOptions & { force?: boolean }) => {
      const resolved = resolveGenerateOptions(options);
      // Files of an earlier tenant left beside the new ones would be scanned with them, against the wrong ground truth.
      const existing = await readdir(resolved.outDir).catch(() => []);
      if (existing.length > 0 && options.force !== true) {
        throw new UsageError(`output folder ${resolved.outDir} is not empty; choose an empty folder, or pass --force to write into it`);
      }
      const started = process.hrtime.bigint();
      let summary;
      try {
        // The generator loads only when it runs, so that other commands start faster.
        const { generateTenant } = await import('../generate/generate.js');
        summary = await generateTenant(resolved);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === undefined) throw error;
        throw new UsageError(`cannot write under ${resolved.outDir}: ${(error as Error).message}; choose a writable --out folder`);
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (!options.quiet) {
        process.stderr.write(
          `[+] wrote ${summary.events} sign-ins (${formatBytes(summary.bytes)}) in ${summary.files.length} file(s) under ${resolved.outDir} in ${seconds.toFixed(1)} s\n` +
            `[+] ${summary.truth.length} attacked user(s) labelled in ${summary.truthFile}\n`,
        );
        if (summary.unplaced.length > 0) {
          process.stderr.write(`[!] not enough users for these attacks, skipped: ${summary.unplaced.join(', ')}; raise --users\n`);
        }
      }
      process.exitCode = ExitCode.Ok;
    });
}
