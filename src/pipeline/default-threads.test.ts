import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultThreads } from './scan.js';

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

  it('counts a missing file as empty', () => {
    assert.equal(defaultThreads([{ kind: 'file', path: path.join(folder, 'missing.jsonl') }]), 1);
  });
});
