import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createDetector } from '../detect/index.js';
import { resolveRuleConfig } from '../rule/config.js';
import { canScanInParallel, defaultThreads, type ScanOptions } from './scan.js';

const folder = mkdtempSync(path.join(tmpdir(), 'crackwatch-threads-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Creates a sparse file of `bytes`, which takes no disk space. */
function sparse(name: string, bytes: number): string {
  const file = path.join(folder, name);
  const fd = openSync(file, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return file;
}

describe('defaultThreads', () => {
  const cores = Math.min(availableParallelism(), 4);

  it('reads inputs under 2 GiB on one thread', () => {
    assert.equal(defaultThreads([{ kind: 'file', path: sparse('small.jsonl', 700 << 20) }]), 1);
    assert.equal(defaultThreads([{ kind: 'stdin' }]), 1);
  });

  it('reads 2 GiB and more on every core', () => {
    assert.equal(defaultThreads([{ kind: 'file', path: sparse('large.jsonl', 2 * 1024 ** 3) }]), cores);
    const halves = [sparse('a.jsonl', 1024 ** 3), sparse('b.jsonl', 1024 ** 3)];
    assert.equal(defaultThreads(halves.map((file) => ({ kind: 'file' as const, path: file }))), cores);
  });

  it('reads from 64 MiB on every core when every record is parsed', () => {
    const file = sparse('improved.jsonl', 100 << 20);
    assert.equal(defaultThreads([{ kind: 'file', path: file }], true), cores);
    assert.equal(defaultThreads([{ kind: 'file', path: file }], false), 1);
    assert.equal(defaultThreads([{ kind: 'file', path: sparse('tiny.jsonl', 1 << 20) }], true), 1);
  });

  it('keeps a scan that needs every sign-in on one thread', () => {
    const inputs = [{ kind: 'file' as const, path: sparse('report.jsonl', 100 << 20) }];
    const detector = createDetector(resolveRuleConfig({ mode: 'parity' }));
    const options: ScanOptions = { layout: 'auto', time: { assumedOffsetMinutes: null, slashDateOrder: null }, maxRecordBytes: 1 << 20, tableHint: null };
    assert.equal(canScanInParallel(inputs, detector, options), true);
    assert.equal(canScanInParallel(inputs, detector, { ...options, everySignIn: true }), false);
  });

  it('counts a missing file as empty', () => {
    assert.equal(defaultThreads([{ kind: 'file', path: path.join(folder, 'missing.jsonl') }]), 1);
  });
});
