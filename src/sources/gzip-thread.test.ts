import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GzipThread } from './gzip-thread.js';

const folder = mkdtempSync(path.join(tmpdir(), 'crackwatch-gzip-thread-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** About 40 MB of distinct JSON lines: more than the worker's batches ahead (3) and held (2) of 4 MiB each. */
function sampleText(): Buffer {
  const rows: string[] = [];
  for (let i = 0; i < 600_000; i++) rows.push(JSON.stringify({ line: i, user: `user${i % 977}@contoso.com`, ip: `198.51.100.${i % 256}` }));
  return Buffer.from(rows.join('\n') + '\n');
}

const text = sampleText();
const gz = gzipSync(text);

function written(name: string, bytes: Buffer): string {
  const file = path.join(folder, name);
  writeFileSync(file, bytes);
  return file;
}

/** Reads a file through a gzip thread, copying each batch as a consumer that keeps data must. */
async function readAll(file: string, recycle: boolean): Promise<{ output: Buffer; damage: string | null; batches: number }> {
  const thread = new GzipThread(file);
  if (recycle) thread.recycle();
  const parts: Buffer[] = [];
  for await (const chunk of thread.read()) parts.push(Buffer.from(chunk));
  return { output: Buffer.concat(parts), damage: thread.damage, batches: parts.length };
}

describe('GzipThread', () => {
  it('gunzips a file in batches, with and without recycling', async () => {
    const file = written('whole.json.gz', gz);
    for (const recycle of [false, true]) {
      const read = await readAll(file, recycle);
      assert.equal(read.damage, null);
      assert.ok(read.output.equals(text), `recycle ${recycle}`);
      assert.ok(read.batches > 5, `${read.batches} batches`);
    }
  });

  it('keeps each recycled batch intact until two more are asked for', async () => {
    const thread = new GzipThread(written('recycled.json.gz', gz));
    thread.recycle();
    let offset = 0;
    let previous: { chunk: Buffer; offset: number } | null = null;
    for await (const chunk of thread.read()) {
      assert.ok(chunk.equals(text.subarray(offset, offset + chunk.length)), `batch at ${offset}`);
      if (previous !== null) assert.ok(previous.chunk.equals(text.subarray(previous.offset, previous.offset + previous.chunk.length)), `batch at ${previous.offset} overwritten`);
      previous = { chunk, offset };
      offset += chunk.length;
    }
    assert.equal(offset, text.length);
  });

  it('passes on the damage the gzip reader finds, after the data before it', async () => {
    const cut = Math.floor(gz.length * 0.6);
    const read = await readAll(written('cut.json.gz', gz.subarray(0, cut)), true);
    assert.ok(read.output.length > 0);
    assert.ok(text.subarray(0, read.output.length).equals(read.output));
    assert.match(read.damage ?? '', new RegExp(`truncated.*byte ${cut}\\b`));
  });

  it('stops its worker when the reader stops early', async () => {
    const thread = new GzipThread(written('early.json.gz', gz));
    for await (const chunk of thread.read()) {
      assert.ok(chunk.length > 0);
      break;
    }
    assert.equal(thread.damage, null);
  });

  it('fails with the reason when the file cannot be read', async () => {
    await assert.rejects(readAll(path.join(folder, 'missing.json.gz'), false), /ENOENT/);
  });
});
