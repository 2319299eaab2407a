import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import yazl from 'yazl';
import { createDetector } from '../detect/index.js';
import { DEFAULT_TIME_OPTIONS } from '../core/time.js';
import { runScan, type ScanResult } from '../pipeline/scan.js';
import { resolveRuleConfig } from '../rule/config.js';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import { ArchiveLimitError, DEFAULT_ARCHIVE_LIMITS, InflationGuard, readZipMembers, type ArchiveLimits } from './archive.js';

const RECORD = readFileSync(new URL('../../../samples/datadog-alfo/sign_in_logs.json', import.meta.url), 'utf8');

function zipBytes(members: [string, Buffer | string, boolean?][]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, content, compress] of members) {
      if (name.endsWith('/')) zip.addEmptyDirectory(name);
      else zip.addBuffer(Buffer.from(content), name, { compress: compress ?? true });
    }
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** Rewrites the first entry's uncompressed size in its local header and the central directory, as a lying zip bomb does. */
function lieAboutFirstSize(zip: Buffer, size: number): Buffer {
  const copy = Buffer.from(zip);
  copy.writeUInt32LE(size, copy.indexOf('PK\x01\x02') + 24);
  copy.writeUInt32LE(size, copy.indexOf('PK\x03\x04') + 22);
  return copy;
}

async function scanZip(file: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<ScanResult> {
  return runScan([{ kind: 'file', path: file }], createDetector(resolveRuleConfig()), {
    layout: 'auto',
    time: DEFAULT_TIME_OPTIONS,
    maxRecordBytes: 16 * 1024 * 1024,
    tableHint: null,
    archiveLimits: limits,
  });
}

describe('zip archives', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'crackwatch-zip-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads every member as its own input', async () => {
    const file = path.join(root, 'logs.zip');
    writeFileSync(file, await zipBytes([['a/PT1H.json', RECORD], ['b/PT1H.json.gz', gzipSync(RECORD)], ['c/', ''], ['notes.md', 'hello'], ['inner.zip', 'PK']]));
    const result = await scanZip(file);
    assert.deepEqual(result.files.map((stats) => [stats.file, stats.records, stats.compression, stats.fatal === null]), [
      [`${file}!a/PT1H.json`, 5, 'none', true],
      [`${file}!b/PT1H.json.gz`, 5, 'gzip', true],
      [`${file}!inner.zip`, 0, 'none', false],
    ]);
    assert.match(result.files[2].fatal ?? '', /archive inside an archive/);
    assert.deepEqual(result.ignoredMembers, [`${file}!notes.md`]);
  });

  it('rejects a member past the inflation ratio', async () => {
    const file = path.join(root, 'bomb.zip');
    writeFileSync(file, await zipBytes([['bomb.json', Buffer.alloc(40 * 1024 * 1024, 0x20)], ['after.json', RECORD]]));
    const result = await scanZip(file);
    assert.match(result.files[0].fatal ?? '', /inflate \d+ times its compressed size, past the limit of 200/);
    assert.equal(result.files[1].records, 5, 'members after the bomb are still read');
  });

  it('rejects members past the archive total', async () => {
    const file = path.join(root, 'total.zip');
    writeFileSync(file, await zipBytes([['one.json', RECORD], ['two.json', RECORD], ['three.json', RECORD]]));
    const limits = { ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: Buffer.byteLength(RECORD) * 2 + 10 };
    const result = await scanZip(file, limits);
    assert.deepEqual(result.files.map((stats) => stats.records), [5, 5, 0]);
    assert.match(result.files[2].fatal ?? '', /past the archive limit/);
  });

  it('stops a member whose sizes lie while it inflates', async () => {
    const file = path.join(root, 'liar.zip');
    const honest = await zipBytes([['liar.json', Buffer.alloc(40 * 1024 * 1024, 0x20)], ['after.json', RECORD]]);
    writeFileSync(file, lieAboutFirstSize(honest, 100));
    const result = await scanZip(file, { ...DEFAULT_ARCHIVE_LIMITS, ratioFloorBytes: 1024 });
    assert.notEqual(result.files[0].fatal, null);
    assert.match(result.files[0].fatal ?? '', /member inflates past the 100 bytes its archive declares \(a zip bomb\?\)/);
    assert.equal(result.files[1].records, 5, 'members after the bomb are still read');
  });

  it('reports a corrupt archive and goes on', async () => {
    const file = path.join(root, 'corrupt.zip');
    const good = await zipBytes([['a.json', RECORD]]);
    writeFileSync(file, good.subarray(0, good.length - 30));
    const other = path.join(root, 'other.json');
    writeFileSync(other, RECORD);
    const result = await runScan([{ kind: 'file', path: file }, { kind: 'file', path: other }], createDetector(resolveRuleConfig()), {
      layout: 'auto',
      time: DEFAULT_TIME_OPTIONS,
      maxRecordBytes: 1 << 20,
      tableHint: null,
    });
    assert.match(result.files[0].fatal ?? '', /cannot read zip archive/);
    assert.equal(result.files[1].records, 5);
  });

  it('yields members lazily, one open at a time', async () => {
    const file = path.join(root, 'lazy.zip');
    writeFileSync(file, await zipBytes([['1.json', RECORD], ['2.json', RECORD]]));
    const names: string[] = [];
    for await (const member of readZipMembers(file)) {
      names.push(member.name);
      if (member.kind === 'opened') await member.finished();
    }
    assert.deepEqual(names, [`${file}!1.json`, `${file}!2.json`]);
  });
});

describe('InflationGuard', () => {
  const sink = (): Writable => new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const chunks = (count: number, size: number): Readable => Readable.from(Array.from({ length: count }, () => Buffer.alloc(size)));

  it('passes a member within the limits', async () => {
    const guard = new InflationGuard(1000, 1 << 20, { maxTotalBytes: 1 << 20, maxRatio: 10, ratioFloorBytes: 100 });
    await pipeline(chunks(10, 1000), guard, sink());
    assert.equal(guard.inflatedBytes, 10_000);
  });

  it('fails past the ratio once over the floor', async () => {
    const guard = new InflationGuard(100, 1 << 20, { maxTotalBytes: 1 << 20, maxRatio: 10, ratioFloorBytes: 500 });
    await assert.rejects(pipeline(chunks(10, 400), guard, sink()), (error: unknown) => error instanceof ArchiveLimitError && /10 times/.test(error.message));
    assert.equal(guard.inflatedBytes, 1200);
  });

  it('fails past the remaining archive total', async () => {
    const guard = new InflationGuard(1 << 20, 2500, { maxTotalBytes: 5000, maxRatio: 10, ratioFloorBytes: 1 << 20 });
    await assert.rejects(pipeline(chunks(10, 1000), guard, sink()), /more than 5000 bytes in all/);
  });
});
