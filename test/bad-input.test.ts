import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { totalsOf } from '../src/pipeline/stats.js';
import { baseRecords, graphBeta, logAnalyticsCsv } from './helpers/layouts.js';
import { decodeBytes, decodeStream, indexesOf } from './helpers/decode.js';
import { scanPaths } from './helpers/scan-paths.js';

const CLI = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../cli/main.js');
const records = baseRecords().slice(0, 10);
const lines = records.map((record) => JSON.stringify(record));

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

describe('bad input', () => {
  it('truncated JSON array keeps the whole records', async () => {
    const text = JSON.stringify(records.map(graphBeta), null, 2);
    const cut = text.slice(0, text.lastIndexOf('"userPrincipalName"'));
    const decoded = await decodeBytes('cut.json', cut);
    assert.equal(decoded.signIns.length, 9);
    assert.equal(decoded.skips.length, 1);
    assert.equal(decoded.skips[0].reason, 'invalid-json');
    assert.match(decoded.skips[0].message, /truncated JSON: the value starting on line \d+ is not closed/);
    assert.ok(decoded.skips[0].source.line > 1);
    assert.deepEqual(indexesOf(decoded), range(10));
  });

  it('unclosed string in a JSON array costs one record', async () => {
    const all = baseRecords().slice(0, 31).map(graphBeta);
    const compact = '[' + all.map((record) => JSON.stringify(record)).join(',\n') + ']';
    const pretty = JSON.stringify(all, null, 2);
    const upn = `"${all[10].userPrincipalName}"`;
    const at = (text: string) => text.indexOf(upn, text.indexOf(`"id":${text === pretty ? ' ' : ''}"${all[10].id}"`));
    for (const text of [compact, pretty]) {
      const broken = text.slice(0, at(text)) + upn.slice(0, -1) + text.slice(at(text) + upn.length);
      const decoded = await decodeBytes('unclosed.json', broken, {}, 4096);
      assert.equal(decoded.signIns.length, 30);
      assert.equal(decoded.skips.length, 1);
      assert.equal(decoded.skips[0].reason, 'invalid-json');
      const startLine = text.slice(0, text.lastIndexOf('{', text.indexOf(`"${all[10].id}"`))).split('\n').length;
      assert.equal(decoded.skips[0].source.line, startLine);
      assert.equal(decoded.skips[0].source.file, 'unclosed.json');
      assert.deepEqual(indexesOf(decoded), range(31));
    }
  });

  it('any lost quote or brace costs one record', async () => {
    const all = baseRecords().slice(0, 31).map(graphBeta);
    let seed = 5;
    for (const text of ['[' + all.map((record) => JSON.stringify(record)).join(',\n') + ']', JSON.stringify(all, null, 2)]) {
      for (const lost of ['"', '}']) {
        const offsets = [...text].flatMap((char, offset) => (char === lost ? [offset] : []));
        for (let run = 0; run < 40; run++) {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          const at = offsets[seed % offsets.length];
          const decoded = await decodeBytes('lost.json', text.slice(0, at) + text.slice(at + 1), {}, 4096);
          const context = `${lost} at ${at}: ${text.slice(at - 30, at + 30)}`;
          assert.equal(decoded.signIns.length, 30, context);
          assert.equal(decoded.skips.length, 1, context);
          assert.deepEqual(indexesOf(decoded), range(31), context);
        }
      }
    }
  });

  it('truncated gzip keeps the records before the cut', async () => {
    const all = baseRecords().slice(0, 40).map((record) => JSON.stringify(record));
    const gz = gzipSync(all.join('\n') + '\n');
    const cut = gz.subarray(0, gz.length - 20);
    for (const chunkBytes of [1 << 16, 100]) {
      const decoded = await decodeBytes('cut.jsonl.gz', cut, {}, chunkBytes);
      assert.equal(decoded.signIns.length, 39);
      assert.deepEqual(decoded.skips.map((skip) => [skip.reason, skip.source.line]), [['invalid-json', 40]]);
      assert.deepEqual(indexesOf(decoded), range(40));
      assert.match(decoded.result.fatal ?? '', new RegExp(`gzip file is truncated: it ends at byte ${cut.length}\\b`));
    }
  });

  it('gzip followed by garbage keeps every record', async () => {
    const gz = gzipSync(lines.join('\n') + '\n');
    const decoded = await decodeBytes('tail.jsonl.gz', Buffer.concat([gz, Buffer.from('not gzip at all\n')]));
    assert.equal(decoded.signIns.length, 10);
    assert.equal(decoded.skips.length, 0);
    assert.match(decoded.result.fatal ?? '', new RegExp(`not gzip, from byte ${gz.length} on`));
  });

  it('unclosed CSV quote costs one row', async () => {
    const header = 'TimeGenerated [UTC],UserPrincipalName,IPAddress,ResultType,AppDisplayName,Type';
    const rows = range(40).map((i) => `2025-04-12T09:${String(i).padStart(2, '0')}:00Z,user${i}@contoso.com,203.0.113.${i},50126,Azure Portal,SigninLogs`);
    rows[4] = rows[4].replace(',Azure Portal', ',"Azure Portal');
    const text = [header, ...rows].join('\r\n') + '\r\n';
    const cases: [Partial<{ maxRecordBytes: number }>, number, string, RegExp][] = [
      [{}, 1 << 16, 'invalid-csv', /row starting on line 6 opens a quote that is never closed; it is skipped and reading resumes at line 7/],
      [{ maxRecordBytes: 300 }, 50, 'record-too-large', /row starting on line 6 is larger than the limit of 300 bytes.*--max-record-size/],
    ];
    for (const [options, chunkBytes, reason, message] of cases) {
      const decoded = await decodeBytes('unclosed.csv', text, options, chunkBytes);
      assert.equal(decoded.signIns.length, 39);
      assert.deepEqual(decoded.skips.map((skip) => [skip.reason, skip.source.line]), [[reason, 6]]);
      assert.match(decoded.skips[0].message, message);
      assert.deepEqual(decoded.signIns.map((item) => item.signIn.Source.line), range(41).slice(1).filter((line) => line !== 6));
      assert.deepEqual(indexesOf(decoded), range(40));
    }
  });

  it('broken CSV row among multi-line cells costs one row', async () => {
    const csv = logAnalyticsCsv(baseRecords());
    const valid = await decodeBytes('query_data.csv', csv);
    assert.equal(valid.skips.length, 0);
    const rows = csv.split('\r\n');
    const lineOf = (row: number) => rows.slice(0, row).join('\r\n').split('\n').length + 1;
    // The Type cell of the fifth row opens a quote that the next row's first quote closes.
    rows[5] = rows[5].replace(/,(SigninLogs|AADNonInteractiveUserSignInLogs)$/, ',"$1');
    for (const chunkBytes of [1 << 16, 333]) {
      const decoded = await decodeBytes('query_data.csv', rows.join('\r\n'), {}, chunkBytes);
      assert.equal(decoded.signIns.length, valid.signIns.length - 1);
      assert.deepEqual(decoded.skips.map((skip) => [skip.reason, skip.source.line]), [['invalid-csv', lineOf(5)]]);
      assert.match(decoded.skips[0].message, new RegExp(`reading resumes at line ${lineOf(6)}`));
      const lines = (d: typeof decoded) => d.signIns.map((item) => item.signIn.Source.line);
      assert.deepEqual(lines(decoded), lines(valid).filter((line) => line !== lineOf(5)));
      assert.deepEqual(indexesOf(decoded), range(valid.signIns.length));
    }
  });

  it('any lost or stray CSV quote costs one row', async () => {
    const csv = logAnalyticsCsv(baseRecords());
    const rows = (await decodeBytes('query_data.csv', csv)).signIns.length;
    const quotes = [...csv].flatMap((char, offset) => (char === '"' ? [offset] : []));
    let seed = 9;
    for (let run = 0; run < 80; run++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const lost = run % 2 === 0;
      const at = lost ? quotes[seed % quotes.length] : seed % csv.length;
      const text = lost ? csv.slice(0, at) + csv.slice(at + 1) : csv.slice(0, at) + '"' + csv.slice(at);
      const decoded = await decodeBytes('query_data.csv', text, {}, 4096);
      const context = `${lost ? 'lost' : 'stray'} quote at ${at}: ${csv.slice(at - 30, at + 30)}`;
      assert.equal(decoded.signIns.length, rows - 1, context);
      assert.equal(decoded.skips.length, 1, context);
      assert.deepEqual(indexesOf(decoded), range(rows), context);
    }
  });

  it('truncated JSON line is skipped with its line', async () => {
    const text = lines.join('\n').slice(0, -40);
    const decoded = await decodeBytes('cut.jsonl', text);
    assert.equal(decoded.signIns.length, 9);
    assert.deepEqual(decoded.skips.map((skip) => [skip.reason, skip.source.line]), [['invalid-json', 10]]);
  });

  it('invalid UTF-8 is read, counted and located', async () => {
    const bad = Buffer.from(lines[3]);
    const at = bad.indexOf('Harry Potter');
    bad[at] = 0xff;
    bad[at + 1] = 0xc0;
    const bytes = Buffer.concat([Buffer.from(lines.slice(0, 3).join('\n') + '\n'), bad, Buffer.from('\n' + lines.slice(4).join('\n'))]);
    const decoded = await decodeBytes('bad-utf8.jsonl', bytes);
    assert.equal(decoded.signIns.length, 10);
    const flagged = decoded.signIns.filter((item) => item.warnings?.includes('invalid-utf8'));
    assert.deepEqual(flagged.map((item) => item.signIn.Source.line), [4]);
  });

  it('invalid UTF-8 inside a JSON array is flagged', async () => {
    const text = Buffer.from(JSON.stringify(records.slice(0, 2)));
    text[text.indexOf('Harry')] = 0xfe;
    const decoded = await decodeBytes('bad-utf8.json', text);
    assert.equal(decoded.signIns.length, 2);
    assert.deepEqual(decoded.signIns.map((item) => item.warnings?.includes('invalid-utf8') ?? false), [true, false]);
  });

  it('binary garbage between records is skipped per line', async () => {
    const garbage = Buffer.from([0x00, 0x9f, 0x7b, 0x22, 0xff, 0x5b, 0x01, 0x02]);
    const bytes = Buffer.concat([Buffer.from(lines[0] + '\n'), garbage, Buffer.from('\n' + lines[1] + '\n'), garbage, garbage, Buffer.from('\n' + lines[2] + '\n')]);
    const decoded = await decodeBytes('garbage.jsonl', bytes);
    assert.equal(decoded.signIns.length, 3);
    assert.deepEqual(decoded.skips.map((skip) => [skip.reason, skip.source.line]), [['invalid-json', 2], ['invalid-json', 4]]);
    assert.deepEqual(indexesOf(decoded), range(5));
  });

  it('binary file is counted, not fatal', async () => {
    const bytes = Buffer.alloc(200_000);
    let seed = 7;
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      bytes[i] = seed >>> 16;
    }
    const decoded = await decodeBytes('random.bin', bytes);
    assert.equal(decoded.signIns.length, 0);
    assert.deepEqual(indexesOf(decoded), range(decoded.skips.length));
  });

  it('line of 300 MB is skipped without being held', async () => {
    const MB = 1024 * 1024;
    const filler = Buffer.alloc(MB, 0x61);
    async function* huge(): AsyncGenerator<Buffer> {
      yield Buffer.from(lines[0] + '\n{"time":"');
      for (let i = 0; i < 300; i++) yield filler;
      yield Buffer.from('"}\n' + lines[1] + '\n');
    }
    global.gc?.();
    const before = process.memoryUsage();
    const decoded = await decodeStream('huge.jsonl', huge(), { maxRecordBytes: 16 * MB });
    const after = process.memoryUsage();
    assert.equal(decoded.signIns.length, 2);
    assert.deepEqual(decoded.skips.map((skip) => [skip.reason, skip.source.line]), [['record-too-large', 2]]);
    assert.match(decoded.skips[0].message, /--max-record-size/);
    // The filler is one reused buffer, so anything near 300 MB of growth would mean the line was held.
    assert.ok(after.rss - before.rss < 150 * MB, `rss grew by ${Math.round((after.rss - before.rss) / MB)} MB`);
  });

  it('record of 300 MB inside a JSON array is skipped', async () => {
    const MB = 1024 * 1024;
    const filler = Buffer.alloc(MB, 0x62);
    async function* huge(): AsyncGenerator<Buffer> {
      yield Buffer.from(`[${lines[0]},\n{"time":"`);
      for (let i = 0; i < 300; i++) yield filler;
      yield Buffer.from(`"},\n${lines[1]}]`);
    }
    const decoded = await decodeStream('huge.json', huge(), { maxRecordBytes: 16 * MB });
    assert.equal(decoded.signIns.length, 2);
    assert.deepEqual(decoded.skips.map((skip) => skip.reason), ['record-too-large']);
  });

  it('deeply nested JSON is skipped, not a crash', async () => {
    const deep = '['.repeat(500_000) + ']'.repeat(500_000);
    const record = JSON.parse(lines[0]);
    const inLocation = JSON.stringify(record).replace('"location":{', `"location":{"deep":${deep},`);
    const inUpn = JSON.stringify(record).replace(/"userPrincipalName":"[^"]*"/, `"userPrincipalName":${deep}`);
    const text = [lines[1], inLocation, deep, inUpn, lines[2]].join('\n');
    const decoded = await decodeBytes('deep.jsonl', text);
    assert.equal(decoded.signIns.length, 2);
    assert.deepEqual(decoded.skips.map((skip) => [skip.reason, skip.source.line]), [['too-deep', 2], ['not-a-record', 3], ['too-deep', 4]]);
  });

  it('wrong types in every field never crash', async () => {
    const values: unknown[] = [null, 0, -1.5, true, [], {}, '', 'text', ['a'], { nested: { x: 1 } }, '[object Object]', 'System.Collections.Hashtable'];
    const base = JSON.parse(lines[0]);
    const variants: string[] = [];
    for (const key of Object.keys(base)) for (const value of values) variants.push(JSON.stringify({ ...base, [key]: value }));
    for (const key of Object.keys(base.properties)) {
      for (const value of values) variants.push(JSON.stringify({ ...base, properties: { ...base.properties, [key]: value } }));
    }
    const graph = graphBeta(base);
    for (const key of Object.keys(graph)) for (const value of values) variants.push(JSON.stringify({ ...graph, [key]: value }));
    const decoded = await decodeBytes('types.jsonl', variants.join('\n'));
    assert.deepEqual(indexesOf(decoded), range(variants.length));
    assert.ok(decoded.signIns.length > 0);
  });

  it('empty inputs read as empty', async () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('  \r\n\n'), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[]'), Buffer.from('{"value":[]}')]) {
      const decoded = await decodeBytes('empty.json', bytes);
      assert.equal(decoded.signIns.length + decoded.skips.length, 0, bytes.toString('hex'));
      assert.equal(decoded.result.fatal, null);
    }
  });

  it('flattened nested objects are marked corrupted', async () => {
    const graph = graphBeta(JSON.parse(lines[0]));
    const flattened = [
      { ...graph, location: '[object Object]' },
      { ...graph, location: '@{city=Paris; state=; countryOrRegion=FR}' },
      { ...graph, deviceDetail: 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphDeviceDetail' },
      { ...graph, status: 'System.Collections.Hashtable' },
    ];
    const decoded = await decodeBytes('flattened.jsonl', flattened.map((object) => JSON.stringify(object)).join('\n'));
    assert.deepEqual(decoded.signIns.map((item) => item.signIn.CorruptedFields), [['LocationDetails'], ['LocationDetails'], ['DeviceDetail'], ['Status']]);
    // A flattened location is never read as a place: it counts as no location at all.
    assert.equal(decoded.signIns[1].signIn.LocationDetails, null);
    assert.equal(decoded.signIns[3].signIn.ResultType, '');
  });

  it('PowerShell Export-Csv of SDK objects keeps rows, marks fields', async () => {
    const csv = [
      'CreatedDateTime,UserPrincipalName,IPAddress,AppDisplayName,IsInteractive,Status,Location,DeviceDetail',
      '2025-04-12T09:00:00Z,harry.potter@hogwarts.com,203.0.113.10,Azure Portal,True,Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInStatus,Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInLocation,Microsoft.Graph.PowerShell.Models.MicrosoftGraphDeviceDetail',
    ].join('\r\n');
    const decoded = await decodeBytes('Entra_Sign_In_Log_harry.csv', csv);
    assert.equal(decoded.signIns.length, 1);
    assert.equal(decoded.signIns[0].schema, 'graph-powershell');
    assert.deepEqual(decoded.signIns[0].signIn.CorruptedFields, ['Status', 'LocationDetails', 'DeviceDetail']);
    assert.equal(decoded.signIns[0].signIn.Type, 'SigninLogs');
  });
});

describe('bad input through the CLI', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'crackwatch-bad-'));
    writeFileSync(path.join(root, 'a-good.jsonl'), lines.slice(0, 5).join('\n') + '\n');
    writeFileSync(path.join(root, 'b-bad.jsonl'), `${lines[5]}\nnot json at all\n${lines[6]}\n`);
    writeFileSync(path.join(root, 'c-good.jsonl'), lines.slice(7).join('\n') + '\n');
    writeFileSync(path.join(root, 'd-empty.json'), '');
    const gz = gzipSync(lines.slice(0, 4).join('\n') + '\n');
    writeFileSync(path.join(root, 'e-cut.jsonl.gz'), Buffer.concat([gz, Buffer.from('appended by a broken copy')]));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('scan reports the bad line and reads the rest', async () => {
    const result = await scanPaths([root]);
    const totals = totalsOf(result.files);
    assert.equal(totals.records, 15);
    assert.equal(totals.mapped, 14);
    assert.deepEqual(Object.fromEntries(totals.skippedByReason), { 'invalid-json': 1 });
    const bad = result.files.find((file) => file.file.endsWith('b-bad.jsonl'));
    assert.equal(bad?.firstSkipped.get('invalid-json')?.line, 2);
    const gz = result.files.find((file) => file.file.endsWith('e-cut.jsonl.gz'));
    assert.equal(gz?.records, 4);
    assert.match(gz?.fatal ?? '', /not gzip, from byte \d+ on/);
  });

  it('--strict stops at the first invalid record with exit code 3', () => {
    const run = spawnSync(process.execPath, [CLI, 'scan', '--strict', '--output', 'ndjson', root], { encoding: 'utf8' });
    assert.equal(run.status, 3);
    assert.match(run.stderr, /b-bad\.jsonl:2: invalid record \(invalid-json\)/);
    assert.match(run.stderr, /--strict/);
    assert.equal(run.stdout, '');
  });

  it('without --strict the same input exits 0', () => {
    const stdout = execFileSync(process.execPath, [CLI, 'scan', '--output', 'ndjson', root], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(stdout, '');
  });

  it('--strict exits 3 on a gzip file read by the gzip worker', () => {
    // Random text does not compress, so this file passes the 4 MiB from which a worker gunzips it. The
    // repeated lines make the output outgrow the batches the worker fills ahead, so that it must wait.
    const random = randomBytes(6 << 20).toString('base64').match(/.{1,3000}/g)!.map((text) => JSON.stringify({ filler: text }));
    const filler = [...random, ...Array.from({ length: 400_000 }, () => '{"filler":"' + 'x'.repeat(100) + '"}')];
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'crackwatch-strict-gz-')), 'big.jsonl.gz');
    writeFileSync(file, gzipSync(['{"ResultType":"50126", broken', ...filler].join('\n'), { level: 1 }));
    try {
      assert.ok(statSync(file).size > 4 << 20);
      // Before the fix the worker kept the process alive after the scan stopped: the timeout catches that.
      const run = spawnSync(process.execPath, [CLI, 'scan', '--strict', '--mode', 'parity', '-o', '/dev/null', file], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.signal, null, 'the scan must end on its own');
      assert.equal(run.status, 3);
      assert.match(run.stderr, /big\.jsonl\.gz:1: invalid record \(invalid-json\)/);
    } finally {
      rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('--strict names the damage that cut the record it stopped at', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'crackwatch-strict-cut-'));
    const file = path.join(folder, 'cut.jsonl.gz');
    const gz = gzipSync(lines.join('\n') + '\n');
    writeFileSync(file, gz.subarray(0, gz.length >> 1));
    try {
      const run = spawnSync(process.execPath, [CLI, 'scan', '--strict', '--mode', 'parity', '-o', '/dev/null', file], { encoding: 'utf8' });
      assert.equal(run.status, 3);
      assert.match(run.stderr, /invalid record \(invalid-json\).*\(the file is damaged: gzip file is truncated: it ends at byte \d+/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('inspect --strict exits 3 too', () => {
    const run = spawnSync(process.execPath, [CLI, 'inspect', '--strict', root], { encoding: 'utf8' });
    assert.equal(run.status, 3);
    assert.match(run.stderr, /b-bad\.jsonl:2/);
  });
});
