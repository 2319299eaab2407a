import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createDetector } from '../src/detect/index.js';
import { ATTACK_KINDS, type AttackCounts } from '../src/generate/attacks.js';
import { generateTenant, type GenerateOptions } from '../src/generate/generate.js';
import { GRAPH_PAGE_SIZE, OUTPUT_LAYOUTS, SIGN_IN_TIME_LAYOUTS, type OutputLayout } from '../src/generate/layouts.js';
import { runScan } from '../src/pipeline/scan.js';
import { resolveRuleConfig } from '../src/rule/config.js';
import { toAlertRecord, type AlertRecord } from '../src/sinks/alert-record.js';

let scratch: string;
before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'crackwatch-generate-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function options(outDir: string, overrides: Partial<GenerateOptions> = {}): GenerateOptions {
  return {
    seed: 3,
    users: 30,
    days: 2,
    startDate: '2026-03-02',
    domain: 'contoso.com',
    guestShare: 0.2,
    attacks: Object.fromEntries(ATTACK_KINDS.map((kind) => [kind, 1])) as AttackCounts,
    rates: { interactivePerDay: 3, nonInteractivePerDay: 20, duplicateShare: 0.05 },
    layouts: ['la-jsonl'],
    outDir,
    gzip: false,
    maxFileBytes: 0,
    ...overrides,
  };
}

async function scanAlerts(files: string[]): Promise<string> {
  const result = await runScan(files.map((file) => ({ kind: 'file', path: file }) as const), createDetector(resolveRuleConfig({ mode: 'parity' })), {
    layout: 'auto',
    time: { assumedOffsetMinutes: null, slashDateOrder: null },
    maxRecordBytes: 16 * 1024 * 1024,
    tableHint: null,
  });
  for (const file of result.files) assert.equal([...file.skipped.values()].reduce((a, b) => a + b, 0), 0, `${file.file} had skipped records`);
  // CSV keeps milliseconds only, so compare everything but the sub-millisecond digits.
  return JSON.stringify(result.alerts.map(toAlertRecord)).replace(/(\.\d{3})\d{4}Z/g, '$1Z');
}

const CLI = new URL('../cli/main.js', import.meta.url).pathname;
const exec = promisify(execFile);

interface CliScan {
  readonly alerts: AlertRecord[];
  /** "Sign-ins per table" from the summary; every record is parsed (--no-prefilter), so this counts them all. */
  readonly tables: Record<string, number>;
}

/** Scans with `crackwatch scan --mode parity`, as a user would, and reads the alerts and per-table counts back. */
async function cliScan(paths: string[]): Promise<CliScan> {
  const { stdout, stderr } = await exec(process.execPath, [CLI, 'scan', ...paths, '--mode', 'parity', '--output', 'ndjson', '--no-progress', '--no-prefilter'], { maxBuffer: 64 << 20 });
  assert.match(stderr, /sign-ins, 0 skipped/, stderr);
  const line = /Sign-ins per table: (.*)/.exec(stderr);
  assert.ok(line !== null, stderr);
  const tables = Object.fromEntries(line[1].split(', ').map((pair) => pair.split(' ')).map(([table, count]) => [table, Number(count.replaceAll(',', ''))]));
  const alerts = stdout.trim() === '' ? [] : stdout.trim().split('\n').map((text) => JSON.parse(text) as AlertRecord);
  return { alerts, tables };
}

/** Rows per table in the Log Analytics JSON-lines files, counted without the decoders. */
async function rowsPerTable(folder: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await readdir(folder)) {
    counts[name.replace(/\.jsonl$/, '')] = (await readFile(path.join(folder, name), 'utf8')).trim().split('\n').length;
  }
  return counts;
}

/**
 * Copies Log Analytics rows as Graph or a download would carry them: TimeGenerated replaced by the sign-in time,
 * both cut to whole seconds. Scanned, these give the alerts the sign-in-time layouts must give.
 */
async function withSignInTime(folder: string, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  for (const name of await readdir(folder)) {
    const rows = (await readFile(path.join(folder, name), 'utf8')).trim().split('\n').map((text) => JSON.parse(text) as Record<string, string>);
    const text = rows.map((row) => {
      const created = row.CreatedDateTime.replace(/\.\d+Z$/, 'Z');
      return JSON.stringify({ ...row, TimeGenerated: created, CreatedDateTime: created });
    });
    await writeFile(path.join(outDir, name), text.join('\n') + '\n');
  }
  return outDir;
}

/**
 * make_set keeps first-appearance order, and whole-second times cannot order the sign-ins of one second, so
 * those follow reading order (newest first in Graph and the downloads). Sets are compared sorted; their
 * contents stay exact, since no set here reaches its cap of 100.
 */
function sortedSets(alerts: AlertRecord[]): AlertRecord[] {
  const sorted = <T>(items: T[]): T[] => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return alerts.map((alert) => {
    for (const items of [alert.Location, alert.IPAddress, alert.AppDisplayName]) assert.ok(items.length < 100, 'a set reached its cap');
    return {
      ...alert,
      Location: sorted(alert.Location),
      IPAddress: sorted(alert.IPAddress),
      AppDisplayName: sorted(alert.AppDisplayName),
      ResultDescription: sorted(alert.ResultDescription),
      Browser: sorted(alert.Browser),
      OS: sorted(alert.OS),
    };
  });
}

function withoutTimes(alerts: AlertRecord[]): unknown[] {
  return alerts.map(({ StartTime: _start, EndTime: _end, ...rest }) => rest);
}

function failuresOf(alerts: AlertRecord[], users: Set<string>): number {
  return alerts.filter((alert) => users.has(alert.UserPrincipalName.toLowerCase())).reduce((sum, alert) => sum + alert.SigninCount, 0);
}

describe('crackwatch generate', () => {
  test('command writes files and ground truth', async () => {
    const outDir = path.join(scratch, 'cli');
    const { stderr } = await exec(process.execPath, [CLI, 'generate', '-o', outDir, '--users', '40', '--days', '2', '--layout', 'la-csv,event-hubs', '--gzip']);
    assert.match(stderr, /wrote \d+ sign-ins/);
    const truth = (await readFile(path.join(outDir, 'ground-truth.jsonl'), 'utf8')).trim().split('\n');
    assert.ok(truth.length > 0);
    const scan = await exec(process.execPath, [CLI, 'scan', path.join(outDir, 'la-csv'), '--mode', 'parity', '--output', 'ndjson', '--no-progress']);
    assert.match(scan.stderr, /0 skipped/);
  });

  test('command rejects an unwritable folder', async () => {
    // A folder below a regular file cannot be created (ENOTDIR).
    const blocker = path.join(scratch, 'blocker');
    await writeFile(blocker, 'not a folder');
    const result = await exec(process.execPath, [CLI, 'generate', '-o', path.join(blocker, 'out'), '--users', '2', '--days', '1']).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    assert.ok(result !== null, 'generate should fail');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot write under .*blocker.out: .*ENOTDIR/);
  });

  test('same seed gives the same bytes', async () => {
    const layouts: OutputLayout[] = ['la-jsonl', ...SIGN_IN_TIME_LAYOUTS];
    const first = await generateTenant(options(path.join(scratch, 'a'), { layouts }));
    const second = await generateTenant(options(path.join(scratch, 'b'), { layouts }));
    assert.equal(first.files.length, second.files.length);
    for (let i = 0; i < first.files.length; i++) {
      assert.deepEqual(await readFile(first.files[i]), await readFile(second.files[i]));
    }
    assert.deepEqual(await readFile(first.truthFile), await readFile(second.truthFile));
  });

  test('TimeGenerated layouts give the same alerts', async () => {
    const summary = await generateTenant(options(path.join(scratch, 'all'), { layouts: [...OUTPUT_LAYOUTS] }));
    const byLayout = new Map<string, string[]>();
    for (const file of summary.files) {
      const layout = path.basename(path.dirname(file));
      byLayout.set(layout, [...(byLayout.get(layout) ?? []), file]);
    }
    assert.deepEqual([...byLayout.keys()].sort(), [...OUTPUT_LAYOUTS].sort());
    const reference = await scanAlerts(byLayout.get('la-jsonl')!);
    assert.notEqual(reference, '[]');
    for (const [layout, files] of byLayout) {
      if (!SIGN_IN_TIME_LAYOUTS.includes(layout as OutputLayout)) assert.equal(await scanAlerts(files), reference, `layout ${layout}`);
    }
  });

  test('sign-in-time layouts give expected alerts', async () => {
    const outDir = path.join(scratch, 'signin-time');
    const summary = await generateTenant(options(outDir, { users: 80, layouts: ['la-jsonl', ...SIGN_IN_TIME_LAYOUTS] }));
    const rows = await rowsPerTable(path.join(outDir, 'la-jsonl'));
    assert.equal(rows.SigninLogs + rows.AADNonInteractiveUserSignInLogs, summary.events);

    const logAnalytics = await cliScan([path.join(outDir, 'la-jsonl')]);
    const expected = await cliScan([await withSignInTime(path.join(outDir, 'la-jsonl'), path.join(scratch, 'signin-time-reference'))]);
    assert.ok(expected.alerts.length > 0);

    for (const layout of SIGN_IN_TIME_LAYOUTS) {
      const scan = await cliScan([path.join(outDir, layout)]);
      assert.deepEqual(scan.tables, rows, `${layout}: sign-ins per table`);
      if (layout === 'entra-csv') {
        // A CSV cell cannot tell an absent browser or OS from an empty one, so "" joins those sets.
        assert.ok(scan.alerts.some((alert) => alert.Browser.includes('') || alert.OS.includes('')), 'entra-csv: expected an empty browser or OS');
        const cleaned = scan.alerts.map((alert) => ({ ...alert, Browser: alert.Browser.filter((item) => item !== ''), OS: alert.OS.filter((item) => item !== '') }));
        assert.deepEqual(sortedSets(cleaned), sortedSets(expected.alerts), layout);
      } else {
        assert.deepEqual(sortedSets(scan.alerts), sortedSets(expected.alerts), layout);
      }
    }

    // What the sign-in time changes against Log Analytics: whole-second StartTime and EndTime, and a late
    // record counts in the window of its sign-in rather than of its arrival, so the `late` attack alerts.
    const late = new Set(summary.truth.filter((row) => row.kind === 'late').map((row) => row.user.toLowerCase()));
    assert.ok(late.size > 0);
    for (const alert of expected.alerts) {
      assert.match(alert.StartTime, /:\d\d\.0000000Z$/);
      assert.match(alert.EndTime, /:\d\d\.0000000Z$/);
    }
    const others = (alerts: AlertRecord[]) => withoutTimes(sortedSets(alerts).filter((alert) => !late.has(alert.UserPrincipalName.toLowerCase())));
    assert.deepEqual(others(expected.alerts), others(logAnalytics.alerts));
    assert.ok(failuresOf(expected.alerts, late) > failuresOf(logAnalytics.alerts, late), 'the late attack should count in full by sign-in time');
  });

  test('Graph pages are linked, newest first', async () => {
    const summary = await generateTenant(options(path.join(scratch, 'graph'), { users: 80, layouts: ['graph'] }));
    const pages = new Map<string, { value: { createdDateTime: string; signInEventTypes: string[]; isInteractive: boolean }[]; '@odata.nextLink'?: string }[]>();
    for (const file of summary.files) {
      const match = /signIns-(\w+)\.page\d{4}\.json$/.exec(file);
      assert.ok(match !== null, file);
      pages.set(match[1], [...(pages.get(match[1]) ?? []), JSON.parse(await readFile(file, 'utf8'))]);
    }
    assert.deepEqual([...pages.keys()].sort(), ['interactiveUser', 'nonInteractiveUser']);
    let total = 0;
    for (const [eventType, list] of pages) {
      assert.ok(list.length > 1 || eventType === 'interactiveUser', `${eventType}: expected several pages`);
      const times = list.flatMap((page) => page.value.map((signIn) => signIn.createdDateTime));
      assert.deepEqual(times, [...times].sort().reverse(), `${eventType}: newest first`);
      list.forEach((page, index) => {
        assert.ok(page.value.length <= GRAPH_PAGE_SIZE);
        assert.equal('@odata.nextLink' in page, index < list.length - 1, `${eventType} page ${index + 1}: nextLink on every page but the last`);
        for (const signIn of page.value) {
          assert.deepEqual(signIn.signInEventTypes, [eventType]);
          assert.equal(signIn.isInteractive, eventType === 'interactiveUser');
        }
      });
      total += times.length;
    }
    assert.equal(total, summary.events);
  });

  test('gzip and splitting keep Graph and downloads', async () => {
    const plain = await generateTenant(options(path.join(scratch, 'plain-signin'), { layouts: [...SIGN_IN_TIME_LAYOUTS] }));
    const split = await generateTenant(options(path.join(scratch, 'split-signin'), { layouts: [...SIGN_IN_TIME_LAYOUTS], gzip: true, maxFileBytes: 256 * 1024 }));
    for (const layout of SIGN_IN_TIME_LAYOUTS) {
      const files = split.files.filter((file) => path.basename(path.dirname(file)) === layout);
      const plainFiles = plain.files.filter((file) => path.basename(path.dirname(file)) === layout);
      // Graph is already cut into pages; --split-size cuts the downloads into parts.
      if (layout === 'graph') assert.equal(files.length, plainFiles.length);
      else assert.ok(files.length > plainFiles.length + 2, `${layout}: expected several parts, got ${files.length}`);
      for (const file of files) {
        assert.match(file, layout === 'graph' ? /\.page\d{4}\.json\.gz$/ : /\/(Non)?InteractiveSignIns_2026-03-02_2026-03-04\.part\d{4}\.(csv|json)\.gz$/);
        assert.ok(gunzipSync(await readFile(file)).length > 0);
      }
      const scanned = await cliScan(files);
      const reference = await cliScan(plainFiles);
      assert.equal(scanned.tables.SigninLogs + scanned.tables.AADNonInteractiveUserSignInLogs, plain.events, layout);
      assert.deepEqual(scanned, reference, layout);
    }
  });

  test('gzip and splitting keep every record', async () => {
    const plain = await generateTenant(options(path.join(scratch, 'plain'), { layouts: ['la-json'] }));
    const split = await generateTenant(options(path.join(scratch, 'split'), { layouts: ['la-json'], gzip: true, maxFileBytes: 256 * 1024 }));
    assert.ok(split.files.length > plain.files.length + 2, `expected several parts, got ${split.files.length}`);
    let records = 0;
    for (const file of split.files) {
      assert.match(file, /\.part\d{4}\.json\.gz$/);
      records += (JSON.parse(gunzipSync(await readFile(file)).toString('utf8')) as unknown[]).length;
    }
    assert.equal(records, plain.events);
    assert.equal(await scanAlerts(split.files), await scanAlerts(plain.files));
  });

  test('ground truth labels every requested attack kind', async () => {
    const summary = await generateTenant(options(path.join(scratch, 'truth'), { users: 80 }));
    assert.deepEqual(summary.unplaced, []);
    assert.deepEqual([...new Set(summary.truth.map((row) => row.kind))].sort(), [...ATTACK_KINDS].sort());
    for (const row of summary.truth) {
      assert.ok(Date.parse(row.firstAttack) <= Date.parse(row.lastAttack), `${row.user}: first attack after last`);
      assert.ok(row.attempts > 0);
    }
    assert.ok(summary.truth.some((row) => row.kind === 'success' && row.succeeded));
  });
});

test('generate refuses a folder that is not empty', async () => {
  const outDir = await mkdtemp(path.join(tmpdir(), 'crackwatch-generate-full-'));
  await writeFile(path.join(outDir, 'old.jsonl'), '{}\n');
  const result = await exec(process.execPath, [CLI, 'generate', '-o', outDir, '--users', '2', '--days', '1']).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
  assert.equal(result.code, 2);
  assert.match(result.stderr, /not empty; choose an empty folder, or pass --force/);

  await exec(process.execPath, [CLI, 'generate', '-o', outDir, '--users', '2', '--days', '1', '--force', '-q']);
});
