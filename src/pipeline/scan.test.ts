import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createDetector } from '../detect/index.js';
import { resolveRuleConfig } from '../rule/config.js';
import { qualityWarnings } from './quality.js';
import { fileStates, runScan, type ScanOptions } from './scan.js';

const RECORD = { TimeGenerated: '2026-03-02T10:00:00Z', OperationName: 'Sign-in activity', ResultType: '50126', UserPrincipalName: 'a@contoso.com', Type: 'SigninLogs' };

function options(onFileDone: ScanOptions['onFileDone']): ScanOptions {
  return {
    layout: 'auto',
    time: { assumedOffsetMinutes: null, slashDateOrder: null },
    maxRecordBytes: 1 << 20,
    tableHint: null,
    prefilter: true,
    onFileDone,
  };
}

describe('runScan', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'crackwatch-scan-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  // NOTE: the check wraps the threaded scan too, but that path needs 64 MiB of input and is not tested here.
  it('warns about a file that grew while read', async () => {
    const growing = path.join(folder, 'growing.jsonl');
    const steady = path.join(folder, 'steady.jsonl');
    const lines = Array.from({ length: 50 }, () => JSON.stringify(RECORD)).join('\n') + '\n';
    writeFileSync(growing, lines);
    writeFileSync(steady, lines);

    // A log shipper appending to the file between its read and the end of the scan.
    const appendOnce = (stats: { file: string }): void => {
      if (stats.file === growing) appendFileSync(growing, JSON.stringify(RECORD) + '\n');
    };
    const inputs = [growing, steady].map((file) => ({ kind: 'file' as const, path: file }));
    const result = await runScan(inputs, createDetector(resolveRuleConfig({ mode: 'parity' })), options(appendOnce));

    const changed = result.files.filter((file) => file.changed !== null).map((file) => [file.file, file.changed]);
    assert.deepEqual(changed, [[growing, `size ${lines.length} to ${lines.length * 51 / 50} bytes`]]);
    const warning = qualityWarnings(result.files).find((candidate) => candidate.code === 'changed-while-read');
    assert.match(warning?.text ?? '', /growing\.jsonl changed while it was read .*scan it again once nothing writes to it/);
  });

  it('compares files with the states taken before an earlier pass', async () => {
    const file = path.join(folder, 'replaced.jsonl');
    writeFileSync(file, JSON.stringify(RECORD) + '\n');
    // As if the file had been replaced with a longer one while a first pass read it.
    const filesBefore = fileStates([{ kind: 'file', path: file }]);
    appendFileSync(file, JSON.stringify(RECORD) + '\n');

    const result = await runScan([{ kind: 'file', path: file }], createDetector(resolveRuleConfig({ mode: 'parity' })), { ...options(undefined), filesBefore });
    assert.match(result.files[0].changed ?? '', /^size \d+ to \d+ bytes$/);
  });
});
