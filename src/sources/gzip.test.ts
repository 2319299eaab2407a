import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constants, crc32, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { GzipReader } from './gzip.js';

interface Read {
  readonly output: Buffer;
  readonly damage: string | null;
}

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function gunzip(bytes: Buffer, chunkSize = 1 << 16): Promise<Read> {
  const reader = new GzipReader(chunksOf(bytes, chunkSize), 1 << 16);
  const parts: Buffer[] = [];
  for await (const part of reader.read()) parts.push(part);
  return { output: Buffer.concat(parts), damage: reader.damage };
}

/** Lines that differ from one another, so that most cuts land inside compressed data. */
function sampleText(lines: number): Buffer {
  let seed = 11;
  const rows: string[] = [];
  for (let i = 0; i < lines; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    rows.push(JSON.stringify({ line: i, token: seed.toString(36).repeat(3), ip: `198.51.100.${i % 256}` }));
  }
  return Buffer.from(rows.join('\n') + '\n');
}

describe('gzip reader', () => {
  const text = sampleText(2000);
  const gz = gzipSync(text);

  it('reads whole files in any chunking', async () => {
    for (const chunkSize of [1, 7, 4096, gz.length]) {
      const read = await gunzip(gz, chunkSize);
      assert.equal(read.damage, null);
      assert.ok(read.output.equals(text), `chunks of ${chunkSize}`);
    }
  });

  it('reads members back to back and zero padding', async () => {
    const read = await gunzip(Buffer.concat([gz, gzipSync(Buffer.from('tail\n')), Buffer.alloc(512)]), 1000);
    assert.equal(read.damage, null);
    assert.ok(read.output.equals(Buffer.concat([text, Buffer.from('tail\n')])));
  });

  it('skips optional header fields', async () => {
    const body = Buffer.from('{"a":1}\n');
    const header = Buffer.from([0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3]);
    const extra = Buffer.from([4, 0, 1, 2, 3, 4]);
    const name = Buffer.from('signins.json\0');
    const comment = Buffer.from('exported\0');
    const headerCrc = Buffer.from([0xaa, 0xbb]);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(body), 0);
    trailer.writeUInt32LE(body.length, 4);
    const file = Buffer.concat([header, extra, name, comment, headerCrc, deflateRawSync(body), trailer]);
    for (const chunkSize of [1, 3, file.length]) {
      const read = await gunzip(file, chunkSize);
      assert.equal(read.damage, null);
      assert.ok(read.output.equals(body));
    }
  });

  it('keeps what precedes a cut', async () => {
    for (let cut = 20; cut < gz.length; cut += Math.max(1, Math.floor(gz.length / 97))) {
      const read = await gunzip(gz.subarray(0, cut), 333);
      assert.ok(text.subarray(0, read.output.length).equals(read.output), `cut at ${cut}`);
      assert.match(read.damage ?? '', /truncated/);
      assert.match(read.damage ?? '', new RegExp(`byte ${cut}\\b`));
    }
    const late = await gunzip(gz.subarray(0, Math.floor(gz.length * 0.9)));
    assert.ok(late.output.length > text.length * 0.8, `${late.output.length} of ${text.length} bytes read`);
  });

  it('keeps the data before appended bytes', async () => {
    for (const tail of [Buffer.from('GARBAGE\n'), Buffer.from([0x1f]), Buffer.from('\n')]) {
      const read = await gunzip(Buffer.concat([gz, tail]), 4096);
      assert.ok(read.output.equals(text));
      assert.match(read.damage ?? '', new RegExp(`byte ${gz.length}\\b`));
    }
  });

  it('reports a failed CRC-32 check', async () => {
    const bad = Buffer.from(gz);
    bad[bad.length - 8] ^= 0x01;
    const read = await gunzip(bad);
    assert.ok(read.output.equals(text));
    assert.match(read.damage ?? '', /member at byte 0 fails its CRC-32 or length check/);
  });

  it('reports corrupt data with its offset', async () => {
    const bad = Buffer.from(gz);
    bad.fill(0xff, bad.length >> 1, (bad.length >> 1) + 64);
    const read = await gunzip(bad);
    // Inflate may write wrong bytes before it finds the damage, so only what the clean prefix contains is compared.
    const clean = gunzipSync(gz.subarray(0, gz.length >> 1), { finishFlush: constants.Z_SYNC_FLUSH }).length;
    const compared = Math.min(clean, read.output.length);
    assert.ok(text.subarray(0, compared).equals(read.output.subarray(0, compared)));
    assert.match(read.damage ?? '', /gzip data is corrupt near byte \d+|fails its CRC-32/);
  });
});
