import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yazl from 'yazl';
import { totalsOf } from '../src/pipeline/stats.js';
import { expectedCounts, LAYOUT_SETS, writeLayoutFixtures, type LayoutSet } from './helpers/layouts.js';
import { alertLines, scanPaths } from './helpers/scan-paths.js';

const CLI = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../cli/main.js');

/** Layout sets that cannot hold service-principal or managed-identity records at all. */
const TABLE_ONLY: readonly LayoutSet[] = ['log-analytics-csv', 'log-analytics-query-api'];

function writeZip(file: string, members: Record<string, Buffer | string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, content] of Object.entries(members)) zip.addBuffer(Buffer.from(content), name);
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => {
      writeFileSync(file, Buffer.concat(chunks));
      resolve();
    });
    zip.outputStream.on('error', reject);
  });
}

describe('same sign-ins in every layout', () => {
  let root: string;
  let folders: Record<LayoutSet, string>;
  let baseline: string[];

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'crackwatch-layouts-'));
    folders = writeLayoutFixtures(root);
    baseline = alertLines(await scanPaths([folders.diagnostic]));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('baseline raises the staged alert', () => {
    assert.equal(baseline.length, 1);
    const alert = JSON.parse(baseline[0]) as { UserPrincipalName: string; SigninCount: number; LocationCount: number };
    assert.equal(alert.UserPrincipalName, 'harry.potter@hogwarts.com');
    assert.equal(alert.SigninCount, 36);
    assert.equal(alert.LocationCount, 5);
  });

  for (const set of LAYOUT_SETS) {
    it(`${set} gives identical alerts and counts`, async () => {
      const result = await scanPaths([folders[set]]);
      assert.deepEqual(alertLines(result), baseline);

      const totals = totalsOf(result.files);
      const expected = expectedCounts();
      assert.deepEqual(Object.fromEntries(totals.tables), expected.tables);
      assert.equal(totals.records, totals.mapped + totals.skipped, 'read = kept + skipped');
      for (const reason of totals.skippedByReason.keys()) assert.equal(reason, 'other-category');
      if (!TABLE_ONLY.includes(set)) assert.ok(totals.otherCategories.size > 0, 'service-principal or managed-identity records skipped by category');
      assert.equal(totals.warnings.get('corrupted-nested-field'), undefined);
      for (const file of result.files) assert.equal(file.fatal, null, file.file);
    });
  }

  it('zip of admin-center downloads gives identical alerts', async () => {
    const archive = path.join(root, 'downloads.zip');
    const folder = folders['entra-download-csv'];
    await writeZip(archive, {
      'export/InteractiveSignIns_2025-04-11_2025-04-13.csv': readFileSync(path.join(folder, 'InteractiveSignIns_2025-04-11_2025-04-13.csv')),
      'export/NonInteractiveSignIns_2025-04-11_2025-04-13.csv': readFileSync(path.join(folder, 'NonInteractiveSignIns_2025-04-11_2025-04-13.csv')),
      'export/readme.md': 'not a log',
    });
    const result = await scanPaths([archive]);
    assert.deepEqual(alertLines(result), baseline);
    assert.deepEqual(result.files.map((file) => file.file), [
      `${archive}!export/InteractiveSignIns_2025-04-11_2025-04-13.csv`,
      `${archive}!export/NonInteractiveSignIns_2025-04-11_2025-04-13.csv`,
    ]);
    assert.deepEqual(result.ignoredMembers, [`${archive}!export/readme.md`]);
  });

  it('CLI prints identical alerts for each layout', () => {
    for (const set of ['diagnostic', 'entra-download-csv', 'graph-powershell', 'extractor-suite'] as const) {
      const stdout = execFileSync(process.execPath, [CLI, 'scan', '--mode', 'parity', '--output', 'ndjson', '-q', folders[set]], { encoding: 'utf8' });
      assert.deepEqual(stdout.trim().split('\n'), baseline, set);
    }
  });

  it('forced --format reads a layout without detection', async () => {
    const result = await scanPaths([folders['graph-array']], { layout: 'graph' });
    assert.deepEqual(alertLines(result), baseline);
    const download = await scanPaths([folders['entra-download-json']], { layout: 'entra-download' });
    assert.deepEqual(alertLines(download), baseline);
    const wrong = await scanPaths([folders['graph-array']], { layout: 'log-analytics' });
    assert.equal(wrong.alerts.length, 0);
    assert.ok((totalsOf(wrong.files).skippedByReason.get('missing-timestamp') ?? 0) > 0);
  });

  it('inspect reports layouts and no quality surprises', () => {
    const stdout = execFileSync(process.execPath, [CLI, 'inspect', '--json', folders['extractor-suite']], { encoding: 'utf8' });
    const report = JSON.parse(stdout) as { files: { file: string; layouts: string[]; encoding: string; records: number; skipped: Record<string, number> }[]; warnings: { code: string }[] };
    assert.deepEqual(report.files.map((file) => file.layouts), [['graph'], ['graph'], []]);
    assert.deepEqual(report.files.map((file) => file.encoding), ['utf-8-bom', 'utf-8-bom', 'utf-8-bom']);
    assert.equal(report.files[2].skipped['other-category'], 6);
    const codes = report.warnings.map((warning) => warning.code);
    assert.ok(!codes.includes('no-non-interactive'));
    assert.ok(!codes.includes('duplicate-id'));
  });
});
