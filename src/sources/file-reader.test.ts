import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileReader } from './file-reader.js';

const folder = mkdtempSync(path.join(tmpdir(), 'crackwatch-reader-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Writes a file whose every byte depends on its offset, so a chunk read from the wrong place shows. */
function patterned(name: string, bytes: number): { file: string; content: Buffer } {
  const content = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) content[i] = (i * 7 + (i >> 8)) & 0xff;
  const file = path.join(folder, name);
  writeFileSync(file, content);
  return { file, content };
}

describe('FileReader', () => {
  it('reads a file whole, in chunks of the size asked for', async () => {
    const { file, content } = patterned('whole.bin', 10_000);
    const sizes: number[] = [];
    const parts: Buffer[] = [];
    for await (const chunk of new FileReader(file, 4096)) {
      sizes.push(chunk.length);
      parts.push(Buffer.from(chunk));
    }
    assert.deepEqual(sizes, [4096, 4096, 1808]);
    assert.deepEqual(Buffer.concat(parts), content);
  });

  it('gives fresh memory to every chunk until recycling is asked for', async () => {
    // Chunks of 8 KiB and more are their own allocations, not slices of Node's shared small-buffer pool.
    const { file } = patterned('fresh.bin', 8 * 8192);
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of new FileReader(file, 8192)) buffers.add(chunk.buffer);
    assert.equal(buffers.size, 8);
  });

  it('recycles four buffers, each chunk intact for two more reads', async () => {
    const { file, content } = patterned('recycled.bin', 20 * 8192 + 100);
    const reader = new FileReader(file, 8192);
    const iterator = reader[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.done, false);
    reader.recycle();

    const buffers = new Set<ArrayBufferLike>();
    let offset = 8192;
    let previous: { chunk: Buffer; offset: number } | null = null;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      const chunk = next.value;
      // The two chunks being read ahead when recycling was asked for already had fresh buffers.
      if (offset >= 3 * 8192) buffers.add(chunk.buffer);
      assert.deepEqual(chunk, content.subarray(offset, offset + chunk.length));
      // The chunk before this one must still hold its bytes, though the next read is already under way.
      if (previous !== null) assert.deepEqual(previous.chunk, content.subarray(previous.offset, previous.offset + previous.chunk.length));
      previous = { chunk, offset };
      offset += chunk.length;
    }
    assert.equal(offset, content.length);
    // Two chunks the consumer may hold and two reads in flight.
    assert.equal(buffers.size, 4);
  });

  it('reads on after a short read when the file grows', async () => {
    const { file, content } = patterned('growing.bin', 8192 + 100);
    const reader = new FileReader(file, 8192);
    const parts: Buffer[] = [];
    for await (const chunk of reader) {
      parts.push(Buffer.from(chunk));
      // Appended while the reads after the first are already under way: the short read of the old end must
      // not leave a gap before the new bytes.
      if (parts.length === 1) appendFileSync(file, content.subarray(0, 5000));
    }
    const whole = Buffer.concat(parts);
    const expected = Buffer.concat([content, content.subarray(0, 5000)]);
    assert.ok(whole.equals(expected.subarray(0, whole.length)), 'the bytes read are a prefix of the file');
    assert.ok(whole.length === content.length || whole.length === expected.length, `${whole.length} bytes read`);
  });

  it('closes the file when the consumer stops early', async () => {
    const { file } = patterned('early.bin', 16 * 1024);
    for (let round = 0; round < 3; round++) {
      for await (const chunk of new FileReader(file, 1024)) {
        assert.equal(chunk.length, 1024);
        break;
      }
    }
    // A handle left open would be reported by Node as a leak warning; reading again proves the file is usable.
    let total = 0;
    for await (const chunk of new FileReader(file, 4096)) total += chunk.length;
    assert.equal(total, 16 * 1024);
  });

  it('fails on the first read of a path that cannot be opened', async () => {
    const reader = new FileReader(path.join(folder, 'missing.bin'), 1024);
    await assert.rejects(async () => {
      for await (const chunk of reader) assert.fail(`read ${chunk.length} bytes of a missing file`);
    }, /ENOENT/);
  });
});
