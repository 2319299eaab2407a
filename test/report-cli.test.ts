import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cli/main.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function crackwatch(args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) => {
      done({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'crackwatch-report-cli-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

test('missing report folder stops before scanning', async () => {
  const report = join(work, 'missing', 'report.html');
  const run = await crackwatch(['scan', join(ROOT, 'samples/attack'), '--output', 'json', '--report', report]);

  assert.equal(run.code, 2);
  assert.match(run.stderr, /cannot write --report .*report\.html: folder .*missing does not exist/);
  assert.equal(run.stdout, '', 'no alerts are printed when the scan does not start');
});

test('unwritable report path fails after the scan', async () => {
  const report = join(work, 'a-folder.html');
  await mkdir(report);
  const run = await crackwatch(['scan', join(ROOT, 'samples/attack'), '--output', 'json', '--report', report]);

  assert.equal(run.code, 4, 'exit code 4: output could not be written');
  assert.match(run.stderr, /writing the report to .*a-folder\.html failed: EISDIR/);
  assert.equal(JSON.parse(run.stdout).length, 1, 'the alerts are still printed');
});

test('report without alerts says so', async () => {
  const report = join(work, 'quiet.html');
  const run = await crackwatch(['scan', join(ROOT, 'samples/datadog-alfo'), '--output', 'json', '--report', report]);
  const html = await readFile(report, 'utf8');

  assert.equal(run.code, 0);
  assert.match(run.stderr, /Report written to .*quiet\.html/);
  assert.match(html, /No alerts: no user crossed both thresholds\./);
  assert.match(html, /<dd data-testid="alert-count">0<\/dd>/);
});
