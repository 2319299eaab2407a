/**
 * `npm run bench`: times crackwatch against DuckDB and against the cost of reading the bytes, on the same
 * page-cached files, as whole processes, and appends the results to BENCHMARKS.md.
 *
 * Options: --runs N (timed runs per command, default 3), --records N (default 200000, about 716 MB of
 * JSON lines), --no-scale (skip the 1x/4x/16x part), --no-append (print only).
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDataset } from './generate.js';

const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(distRoot, '..');
const dataDir = path.join(repoRoot, 'bench', 'data');
const cli = path.join(distRoot, 'cli', 'main.js');
const duckdbRule = path.join(distRoot, 'bench', 'duckdb-rule.js');
const readFloor = path.join(distRoot, 'bench', 'read-floor.js');
const skeleton = path.join(distRoot, 'bench', 'skeleton.js');

const SEED = 20261001;
const DAYS = 7;

interface Options {
  runs: number;
  records: number;
  scale: boolean;
  append: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { runs: 3, records: 200_000, scale: true, append: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--runs') options.runs = Number(argv[++i]);
    else if (flag === '--records') options.records = Number(argv[++i]);
    else if (flag === '--no-scale') options.scale = false;
    else if (flag === '--no-append') options.append = false;
    else throw new Error(`unknown option ${flag}; use --runs N, --records N, --no-scale, --no-append`);
  }
  if (!Number.isSafeInteger(options.runs) || options.runs < 1) throw new Error('--runs needs a whole number >= 1');
  if (!Number.isSafeInteger(options.records) || options.records < 1000) throw new Error('--records needs a whole number >= 1000');
  return options;
}

interface Dataset {
  readonly name: string;
  readonly file: string;
  /** Layout name for the DuckDB query. */
  readonly duckdb: 'la' | 'diagnostic' | 'array';
  readonly gzip: boolean;
  /** Whether to time skeleton.js, the least work of an exact scan, which reads plain JSON lines only. */
  readonly skeleton: boolean;
}

const DATASETS: Dataset[] = [
  { name: 'Log Analytics JSON lines', file: 'signins-la.ndjson', duckdb: 'la', gzip: false, skeleton: true },
  { name: 'diagnostic JSON lines', file: 'signins-diagnostic.ndjson', duckdb: 'diagnostic', gzip: false, skeleton: true },
  { name: 'Log Analytics JSON array', file: 'signins-la.json', duckdb: 'array', gzip: false, skeleton: false },
  { name: 'Log Analytics JSON lines, gzip', file: 'signins-la.ndjson.gz', duckdb: 'la', gzip: true, skeleton: false },
];

/**
 * Writes the data unless its manifest records the same seed and size. This is the one place that would
 * call `crackwatch generate` once that command exists.
 */
async function ensureData(records: number): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const manifestPath = path.join(dataDir, 'manifest.json');
  const wanted = JSON.stringify({ seed: SEED, records, days: DAYS, generator: 1 });
  if (existsSync(manifestPath) && readFileSync(manifestPath, 'utf8') === wanted && DATASETS.every((d) => existsSync(path.join(dataDir, d.file)))) return;

  process.stderr.write(`generating ${records} records in four layouts under ${dataDir} ...\n`);
  rmSync(manifestPath, { force: true });
  const [ndjson, diagnostic, array, gzip] = DATASETS.map((d) => path.join(dataDir, d.file));
  const result = await writeDataset({ ndjson, diagnostic, array, gzip }, SEED, records, DAYS);
  process.stderr.write(`generated ${result.records} records, ${result.counted} counted failures\n`);
  writeFileSync(manifestPath, wanted);
}

interface Sample {
  seconds: number;
  rssKb: number;
  /** User plus system CPU time of the process and its threads. */
  cpuSeconds: number;
}

/** Runs a command as a whole process under /usr/bin/time; returns wall time and peak RSS. */
function timeProcess(command: string, args: string[], stdoutFile?: string): Promise<Sample> {
  const timeFile = path.join(dataDir, '.time');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, command, ...args], { stdio: ['ignore', stdoutFile === undefined ? 'ignore' : 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
    child.stdout?.resume();
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      const [rssKb, user, system] = (readFileSync(timeFile, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
      resolve({ seconds, rssKb, cpuSeconds: user + system });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Measured {
  label: string;
  seconds: number;
  rssKb: number;
  cpuSeconds: number;
  /** Every run's sample, in run order, so that two commands can be compared run by run. */
  samples: Sample[];
}

/** A command to time, and a check to make after each of its runs. */
interface Timed {
  readonly label: string;
  readonly command: string;
  readonly args: string[];
  readonly check?: () => void;
}

function summarize(label: string, samples: Sample[]): Measured {
  const result = {
    label,
    seconds: median(samples.map((s) => s.seconds)),
    rssKb: Math.max(...samples.map((s) => s.rssKb)),
    cpuSeconds: median(samples.map((s) => s.cpuSeconds)),
    samples,
  };
  process.stderr.write(`  ${label}: ${result.seconds.toFixed(3)} s, ${result.cpuSeconds.toFixed(2)} s CPU, ${(result.rssKb / 1024).toFixed(0)} MB\n`);
  return result;
}

async function measure(label: string, runs: number, command: string, args: string[]): Promise<Measured> {
  const samples: Sample[] = [];
  for (let run = 0; run < runs; run++) samples.push(await timeProcess(command, args));
  return summarize(label, samples);
}

/**
 * Times several commands in rounds: each round runs every command once, in order. The benchmark VM's speed
 * drifted by 20% and more within minutes (the read floor took 0.143 s, then 0.178 s), so commands timed side
 * by side compare fairly, and `pairedRatio` compares them round by round.
 */
async function measureInRounds(commands: readonly Timed[], runs: number): Promise<Measured[]> {
  const samples: Sample[][] = commands.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (const [i, timed] of commands.entries()) {
      samples[i].push(await timeProcess(timed.command, timed.args));
      timed.check?.();
    }
  }
  return commands.map((timed, i) => summarize(timed.label, samples[i]));
}

/** Median over rounds of a's time divided by b's time in the same round. */
function pairedRatio(a: Measured, b: Measured): number {
  return median(a.samples.map((sample, run) => sample.seconds / b.samples[run].seconds));
}

/** Alerts reduced to what both engines report: (UPN, table, UTC day of the window, counts). */
function alertKeys(file: string, from: 'crackwatch' | 'duckdb'): string[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0);
  return lines
    .map((line) => {
      const alert = JSON.parse(line) as Record<string, string | number>;
      const day = from === 'crackwatch' ? String(alert.WindowStart).slice(0, 10) : String(alert.day);
      return `${alert.UserPrincipalName}\t${alert.Type}\t${day}\t${Number(alert.SigninCount)}\t${Number(alert.LocationCount)}`;
    })
    .sort();
}

function sameFile(a: string, b: string, what: string): void {
  if (readFileSync(a, 'utf8') !== readFileSync(b, 'utf8')) throw new Error(`${what}: ${a} and ${b} differ`);
}

function sameAlerts(crackwatchFile: string, duckdbFile: string, what: string): number {
  const ours = alertKeys(crackwatchFile, 'crackwatch');
  const theirs = alertKeys(duckdbFile, 'duckdb');
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
    throw new Error(`${what}: crackwatch raised ${ours.length} alerts and DuckDB ${theirs.length}, and they differ`);
  }
  return ours.length;
}

function shell(command: string): string {
  return spawnSync('sh', ['-c', command], { encoding: 'utf8' }).stdout.trim();
}

function describeMachine(): string[] {
  const model = cpus()[0]?.model ?? 'unknown';
  return [
    `- CPU: ${model} (\`nproc\`: ${shell('nproc')}, Node's availableParallelism: ${availableParallelism()})`,
    `- Memory (\`free -h\`): ${shell("free -h | awk '/^Mem:/ {print $2 \" total, \" $7 \" available\"}'")} (${(totalmem() / 2 ** 30).toFixed(1)} GiB)`,
    `- Node ${process.version}, DuckDB through @duckdb/node-api ${JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8')).version}`,
    `- Load average when the run started: ${loadavg().map((n) => n.toFixed(2)).join(', ')}`,
  ];
}

function mb(bytes: number): number {
  return bytes / 1e6;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is missing; install the Debian package "time" to measure peak RSS');
  await ensureData(options.records);

  const machine = describeMachine();
  const started = new Date().toISOString();
  const out = (name: string): string => path.join(dataDir, name);
  const lines: string[] = [];
  lines.push(
    `## Run of ${started}`,
    '',
    `Command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\`; ${options.runs} rounds, each running every command once (the full parse first, because its alerts are the reference); median wall time, highest peak RSS.`,
    '',
  );
  lines.push(...machine, '');

  const summary: string[] = [];
  for (const dataset of DATASETS) {
    const file = path.join(dataDir, dataset.file);
    const bytes = statSync(file).size;
    process.stderr.write(`${dataset.name}: ${file} (${mb(bytes).toFixed(0)} MB)\n`);
    // Warm the page cache, so every command reads the same cached bytes.
    await timeProcess(process.execPath, [readFloor, file]);

    // Parity mode with scheduled windows: the rule DuckDB runs. The default crackwatch run reads on one
    // thread, because a second thread made it no faster on this 2-core machine (see --threads 2).
    const scanArgs = (output: string, extra: string[]): string[] => [cli, 'scan', file, '--mode', 'parity', '--output', 'ndjson', '-o', out(output), '--no-progress', '-q', ...extra];
    const checkAgainstFull = (output: string) => () => sameFile(out(output), out('full.ndjson'), `${dataset.name}: alerts with and without the pre-filter`);
    const [full, crackwatch, twoThreads, fullTwoThreads, duckdb, floor, wc, ...skeletons] = await measureInRounds(
      [
        { label: 'crackwatch, full parse (--no-prefilter)', command: process.execPath, args: scanArgs('full.ndjson', ['--no-prefilter']) },
        { label: 'crackwatch (default, one thread)', command: process.execPath, args: scanArgs('crackwatch.ndjson', []), check: checkAgainstFull('crackwatch.ndjson') },
        { label: 'crackwatch --threads 2', command: process.execPath, args: scanArgs('two.ndjson', ['--threads', '2']), check: checkAgainstFull('two.ndjson') },
        {
          label: 'crackwatch --no-prefilter --threads 2',
          command: process.execPath,
          args: scanArgs('full-two.ndjson', ['--no-prefilter', '--threads', '2']),
          check: checkAgainstFull('full-two.ndjson'),
        },
        { label: 'DuckDB SQL', command: process.execPath, args: [duckdbRule, dataset.duckdb, out('duckdb.ndjson'), file] },
        dataset.gzip
          ? { label: 'floor: Node gunzip only', command: process.execPath, args: [readFloor, file, '--gunzip'] }
          : { label: 'floor: Node read only', command: process.execPath, args: [readFloor, file] },
        dataset.gzip
          ? { label: 'floor: gzip -dc | wc -l', command: 'sh', args: ['-c', `gzip -dc '${file}' | wc -l`] }
          : { label: 'floor: wc -l', command: 'wc', args: ['-l', file] },
        // The minimum work an exact scan of JSON lines does: read, pre-filter, JSON.parse the candidates.
        ...(dataset.skeleton
          ? [
              { label: 'floor: read, pre-filter, parse candidates', command: process.execPath, args: [skeleton, file] },
              { label: 'floor: read, pre-filter, parse candidates, 2 threads', command: process.execPath, args: [skeleton, file, '--threads', '2'] },
            ]
          : []),
      ],
      options.runs,
    );
    const alerts = sameAlerts(out('crackwatch.ndjson'), out('duckdb.ndjson'), dataset.name);

    const rows = [crackwatch, twoThreads, full, fullTwoThreads, duckdb, floor, wc, ...skeletons];
    lines.push(`### ${dataset.name}: ${mb(bytes).toFixed(0)} MB${dataset.gzip ? ' compressed' : ''}, ${options.records} records, ${alerts} alerts (the same from crackwatch and DuckDB)`, '');
    lines.push('| command | median s | MB/s | records/s | CPU s (user + sys) | peak RSS MB | time / crackwatch |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const row of rows) {
      lines.push(
        `| ${row.label} | ${row.seconds.toFixed(3)} | ${(mb(bytes) / row.seconds).toFixed(0)} | ${Math.round(options.records / row.seconds)} | ` +
          `${row.cpuSeconds.toFixed(2)} | ${(row.rssKb / 1024).toFixed(0)} | ${(row.seconds / crackwatch.seconds).toFixed(2)} |`,
      );
    }
    lines.push('');
    // Ratios of times taken in the same round, so that a drift of the machine's speed between rounds cancels.
    const speedup = pairedRatio(duckdb, crackwatch);
    const toFloor = pairedRatio(crackwatch, floor);
    summary.push(
      `| ${dataset.name} | ${speedup.toFixed(2)}x | ${(duckdb.cpuSeconds / crackwatch.cpuSeconds).toFixed(2)}x | ` +
        `${toFloor.toFixed(2)}x (${floor.label.replace('floor: ', '')}) | ${pairedRatio(crackwatch, full).toFixed(2)} | ` +
        `${pairedRatio(twoThreads, crackwatch).toFixed(2)}x | ${(crackwatch.rssKb / 1024).toFixed(0)} MB | ` +
        `${skeletons.length === 0 ? 'n/a' : skeletons.map((row) => pairedRatio(duckdb, row).toFixed(2) + 'x').join(' / ')} |`,
    );
  }

  lines.push(
    '### Ratios',
    '',
    'Time ratios are medians over rounds of the two times taken in the same round; CPU ratios divide the medians. The skeleton ' +
      '(bench/skeleton.ts) reads, pre-filters and parses the candidates as crackwatch does, and maps, detects and writes nothing: ' +
      'its ratio to DuckDB bounds what an exact scan built on JSON.parse reaches on this machine.',
    '',
  );
  lines.push(
    '| input | DuckDB time / crackwatch time | DuckDB CPU / crackwatch CPU | crackwatch time / floor time | pre-filter time / full-parse time | --threads 2 time / default time | crackwatch peak RSS | DuckDB time / skeleton time (1 / 2 threads) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  lines.push(...summary, '');

  if (options.scale) lines.push(...(await scaleRuns(out)));
  lines.push(`Load average when the run ended: ${loadavg().map((n) => n.toFixed(2)).join(', ')}`, '');

  const text = lines.join('\n');
  process.stdout.write(text + '\n');
  if (options.append) {
    const target = path.join(repoRoot, 'BENCHMARKS.md');
    appendFileSync(target, '\n' + text);
    process.stderr.write(`appended to ${target}\n`);
  }
}

/**
 * Scans 1, 4 and 16 copies of the JSON-lines file. The copies are hard links to the one file, each a
 * separate input that crackwatch reads in full, so 16x reads about 11 GB without writing it to disk.
 * Symbolic links would not do: crackwatch reads a file reached twice through links only once.
 */
async function scaleRuns(out: (name: string) => string): Promise<string[]> {
  const source = path.join(dataDir, DATASETS[0].file);
  const bytes = statSync(source).size;
  const scaleDir = path.join(dataDir, 'scale');
  rmSync(scaleDir, { recursive: true, force: true });
  mkdirSync(scaleDir);
  const links: string[] = [];
  for (let i = 0; i < 16; i++) {
    const link = path.join(scaleDir, `copy-${String(i + 1).padStart(2, '0')}.ndjson`);
    linkSync(source, link);
    links.push(link);
  }

  const lines = [
    '### Scaling: the JSON-lines file read 1, 4 and 16 times',
    '',
    'Each copy is a hard link to the same file, read in full as a separate input (from the page cache). crackwatch',
    'runs with its default threads (one below 2 GiB, every core from there); DuckDB reads the same files as one',
    'list, on every core, and must return the same alerts. One run of each.',
    '',
    '| input | GB | crackwatch s | s/GB | CPU s | CPU s/GB | peak RSS MB | DuckDB s | DuckDB peak RSS MB | DuckDB time / crackwatch time |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const factor of [1, 4, 16]) {
    process.stderr.write(`scale ${factor}x\n`);
    const files = links.slice(0, factor);
    const sample = await measure(`${factor}x`, 1, process.execPath, [cli, 'scan', '--mode', 'parity', ...files, '--output', 'ndjson', '-o', out('scale.ndjson'), '--no-progress', '-q']);
    const duckdb = await measure(`DuckDB ${factor}x`, 1, process.execPath, [duckdbRule, 'la', out('scale-duckdb.ndjson'), ...files]);
    sameAlerts(out('scale.ndjson'), out('scale-duckdb.ndjson'), `${factor}x`);
    const gb = (bytes * factor) / 1e9;
    lines.push(
      `| ${factor}x | ${gb.toFixed(2)} | ${sample.seconds.toFixed(2)} | ${(sample.seconds / gb).toFixed(2)} | ` +
        `${sample.cpuSeconds.toFixed(2)} | ${(sample.cpuSeconds / gb).toFixed(2)} | ${(sample.rssKb / 1024).toFixed(0)} | ` +
        `${duckdb.seconds.toFixed(2)} | ${(duckdb.rssKb / 1024).toFixed(0)} | ${(duckdb.seconds / sample.seconds).toFixed(2)}x |`,
    );
  }
  lines.push('');
  return lines;
}

await main();
