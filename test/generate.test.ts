import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createDetector } from '../src/detect/index.js';
import { ATTACK_KINDS, type AttackCounts } from '../src/generate/attacks.js';
import { generateTenant, type GenerateOptions } from '../src/generate/generate.js';
import { OUTPUT_LAYOUTS } from '../src/generate/layouts.js';
import { runScan } from '../src/pipeline/scan.js';
import { resolveRuleConfig } from '../src/rule/config.js';
import { toAlertRecord } from '../src/sinks/alert-record.js';

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

const CLI = new URL('../src/cli/main.js', import.meta.url).pathname;
const exec = promisify(execFile);

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
    const first = await generateTenant(options(path.join(scratch, 'a')));
    const second = await generateTenant(options(path.join(scratch, 'b')));
    for (let i = 0; i < first.files.length; i++) {
      assert.deepEqual(await readFile(first.files[i]), await readFile(second.files[i]));
    }
    assert.deepEqual(await readFile(first.truthFile), await readFile(second.truthFile));
  });

  test('every layout scans to the same alerts', async () => {
    const summary = await generateTenant(options(path.join(scratch, 'all'), { layouts: [...OUTPUT_LAYOUTS] }));
    const byLayout = new Map<string, string[]>();
    for (const file of summary.files) {
      const layout = path.basename(path.dirname(file));
      byLayout.set(layout, [...(byLayout.get(layout) ?? []), file]);
    }
    assert.deepEqual([...byLayout.keys()].sort(), [...OUTPUT_LAYOUTS].sort());
    const reference = await scanAlerts(byLayout.get('la-jsonl')!);
    assert.notEqual(reference, '[]');
    for (const [layout, files] of byLayout) assert.equal(await scanAlerts(files), reference, `layout ${layout}`);
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
