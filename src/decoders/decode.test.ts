import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { burst, diagnosticRecord, logAnalyticsRow, portalCsv } from '../../test/helpers/records.js';
import { decodeBytes, detect, ndjson } from '../../test/helpers/scan.js';
import { formatTicks } from '../core/time.js';
import { createDetector } from '../detect/index.js';
import { runScan } from '../pipeline/scan.js';
import { resolveRuleConfig } from '../rule/config.js';
import { normalizeCsvHeader } from './decode.js';

// Milliseconds only, so that the portal CSV form (3 fractional digits) keeps the same instants.
const specs = [
  ...burst('alice@contoso.com', '2025-04-12T08:00:00.000Z', 33, 4),
  ...burst('bob@contoso.com', '2025-04-12T09:00:00.000Z', 32, 3, 60, { table: 'AADNonInteractiveUserSignInLogs' }),
  ...burst('carol@contoso.com', '2025-04-12T10:00:00.000Z', 5, 1, 10, { code: '0' }),
];

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'crackwatch-decode-'));
}

async function scanFile(file: string): Promise<Awaited<ReturnType<typeof runScan>>> {
  const detector = createDetector(resolveRuleConfig({ mode: 'parity' }));
  return runScan([{ kind: 'file', path: file }], detector, {
    layout: 'auto',
    time: { assumedOffsetMinutes: null, slashDateOrder: null },
    maxRecordBytes: 1 << 24,
    tableHint: null,
  });
}

test('every Log Analytics and diagnostic layout gives the same alerts', async () => {
  const directory = scratch();
  const rows = specs.map((spec) => logAnalyticsRow(spec, spec.table === 'AADNonInteractiveUserSignInLogs'));
  const diagnostic = specs.map((spec) => diagnosticRecord(spec));
  const columns = Object.keys(rows[0]).map((name) => ({ name, type: 'string' }));

  const layouts: Record<string, Buffer | string> = {
    'la-array.json': JSON.stringify(rows, null, 2),
    'la-lines.json': ndjson(rows),
    'la-query-api.json': JSON.stringify({ tables: [{ name: 'PrimaryResult', columns, rows: rows.map((row) => columns.map((c) => row[c.name])) }] }),
    'la-portal.csv': portalCsv(rows),
    'la-portal-bom-crlf.csv': '\ufeff' + portalCsv(rows, { newline: '\r\n' }),
    'la-portal-union.csv': portalCsv(rows, { union: true }),
    'la-portal-utf16be.csv': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(portalCsv(rows), 'utf16le').swap16()]),
    'la-portal-utf16le.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(portalCsv(rows), 'utf16le')]),
    'PT1H.json': ndjson(diagnostic, '\r\n'),
    'event-hubs.json': JSON.stringify({ records: diagnostic.slice(0, 40) }) + '\n' + JSON.stringify({ records: diagnostic.slice(40) }) + '\n',
    'PT1H.json.gz': gzipSync(ndjson(diagnostic)),
  };

  const expected = detect(
    (await decodeBytes(ndjson(rows))).signIns,
    {},
  );
  assert.equal(expected.length, 2);

  for (const [name, content] of Object.entries(layouts)) {
    const file = path.join(directory, name);
    writeFileSync(file, content);
    const result = await scanFile(file);
    const stats = result.files[0];
    assert.equal(stats.records, specs.length, `${name}: records`);
    assert.equal(stats.skipped.size, 0, `${name}: skipped ${JSON.stringify([...stats.skipped])}`);
    assert.equal(stats.tables.get('SigninLogs'), 38, `${name}: SigninLogs`);
    assert.equal(stats.tables.get('AADNonInteractiveUserSignInLogs'), 32, `${name}: non-interactive`);
    assert.deepEqual(
      result.alerts.map((alert) => ({ ...alert })),
      expected,
      `${name}: alerts`,
    );
  }
});

test('CSV headers lose [UTC] and stray spaces, duplicates are numbered', () => {
  assert.deepEqual(normalizeCsvHeader(['TimeGenerated [UTC]', ' Application ID ', 'Incoming token type', 'Incoming token type']), [
    'TimeGenerated',
    'Application ID',
    'Incoming token type',
    'Incoming token type#2',
  ]);
});

test('ResultType as a number and JSON columns as text', async () => {
  const rows = [logAnalyticsRow({ upn: 'a@x.com', time: '2025-04-12T08:00:00.1234567Z', code: 50126 }, true)];
  const { signIns } = await decodeBytes(JSON.stringify(rows));
  assert.equal(signIns[0].ResultType, '50126');
  assert.deepEqual(signIns[0].LocationDetails, { countryOrRegion: 'US', state: 'New Jersey', city: 'Westfield', geoCoordinates: {} });
  assert.equal(formatTicks(signIns[0].TimeGenerated), '2025-04-12T08:00:00.1234567Z');
});

test('rows without Type take the table from Category or IsInteractive', async () => {
  const row = logAnalyticsRow({ upn: 'a@x.com', time: '2025-04-12T08:00:00Z', table: 'AADNonInteractiveUserSignInLogs' });
  delete row.Type;
  const byCategory = await decodeBytes(JSON.stringify([row]));
  assert.equal(byCategory.signIns[0].Type, 'AADNonInteractiveUserSignInLogs');

  delete row.Category;
  row.IsInteractive = 'true';
  const byFlag = await decodeBytes(JSON.stringify([row]));
  assert.equal(byFlag.signIns[0].Type, 'SigninLogs');

  delete row.IsInteractive;
  const unknown = await decodeBytes(JSON.stringify([row]));
  assert.equal(unknown.skips[0].reason, 'unknown-table');
  assert.match(unknown.skips[0].message, /--table/);

  const hinted = await decodeBytes(JSON.stringify([row]), { tableHint: 'SigninLogs' });
  assert.equal(hinted.signIns[0].Type, 'SigninLogs');
});

test('diagnostic records of other categories are counted and skipped', async () => {
  const record = diagnosticRecord({ upn: 'a@x.com', time: '2025-04-12T08:00:00Z' });
  const servicePrincipal = { ...record, category: 'ServicePrincipalSignInLogs' };
  const { signIns, skips } = await decodeBytes(ndjson([record, servicePrincipal]));
  assert.equal(signIns.length, 1);
  assert.equal(skips.length, 1);
  assert.equal(skips[0].reason, 'other-category');
  assert.equal(skips[0].source.line, 2);
});

test('a malformed record is skipped with its line, the rest is read', async () => {
  const good = JSON.stringify(diagnosticRecord({ upn: 'a@x.com', time: '2025-04-12T08:00:00Z' }));
  const text = `${good}\n{"time": "2025-04-12T08:00:00Z", "category": "SignInLogs",\n${good}\n${good.replace('2025-04-12T08:00:00Z', 'not a time')}\n`;
  const { signIns, skips } = await decodeBytes(text);
  assert.equal(signIns.length, 2);
  assert.deepEqual(
    skips.map((skip) => [skip.reason, skip.source.line]),
    [
      ['invalid-json', 2],
      ['invalid-timestamp', 4],
    ],
  );
});

test('records read in chunks of any size decode the same', async () => {
  const text = JSON.stringify(specs.slice(0, 5).map((spec) => logAnalyticsRow(spec)), null, 1);
  const whole = await decodeBytes(text);
  for (const chunkSize of [1, 7, 64, 4096]) {
    const chunked = await decodeBytes(text, { chunkSize });
    assert.deepEqual(chunked.signIns, whole.signIns, String(chunkSize));
  }
});

test('JSON lines with a damaged first line lose only that line', async () => {
  const lines = ndjson(specs.slice(0, 31).map((spec) => diagnosticRecord(spec)));
  for (const damaged of ['garbage first line\n', '{"TimeGenerated": "2025\n', 'TimeGenerated,UserPrincipalName\n']) {
    const { signIns, skips, framing } = await decodeBytes(damaged + lines);
    assert.equal(framing, 'json-lines', damaged);
    assert.equal(signIns.length, 31, damaged);
    assert.equal(skips.length, 1, damaged);
    assert.equal(skips[0].source.line, 1, damaged);
  }
});

test('a pretty-printed object is JSON, not JSON lines', async () => {
  const text = JSON.stringify({ records: specs.slice(0, 3).map((spec) => diagnosticRecord(spec)) }, null, 2);
  const { signIns, framing } = await decodeBytes(text);
  assert.equal(framing, 'json');
  assert.equal(signIns.length, 3);
});

test('blank space before the first record is skipped', async () => {
  const directory = scratch();
  const rows = specs.map((spec) => JSON.stringify(logAnalyticsRow(spec)));
  // More blank lines than the bytes read to detect the framing, and a broken record to check the line numbers.
  const blankLines = 3 << 20;
  const lines = [...rows.slice(0, 3), '{"broken', ...rows.slice(3)];
  const file = path.join(directory, 'blank-start.jsonl');
  writeFileSync(file, '\n'.repeat(blankLines) + lines.join('\n') + '\n');
  const array = path.join(directory, 'blank-start.json');
  writeFileSync(array, ' '.repeat(blankLines) + `[${rows.join(',')}]`);

  const lineResult = await scanFile(file);
  assert.equal(lineResult.files[0].framing, 'json-lines');
  assert.equal(lineResult.files[0].records, rows.length + 1);
  assert.equal(lineResult.files[0].firstSkipped.get('invalid-json')?.line, blankLines + 4);
  assert.equal(lineResult.alerts.length, 2);

  const arrayResult = await scanFile(array);
  assert.equal(arrayResult.files[0].framing, 'json');
  assert.equal(arrayResult.files[0].records, rows.length);
  assert.equal(arrayResult.alerts.length, 2);
});
