import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatSummary } from '../cli/summary.js';
import { formatInspectReport } from '../cli/inspect-command.js';
import { DEFAULT_TIME_OPTIONS } from '../core/time.js';
import { createDetector } from '../detect/index.js';
import { resolveRuleConfig } from '../rule/config.js';
import { DuplicateIdTracker, qualityWarnings } from './quality.js';
import { runScan, type ScanResult } from './scan.js';
import { totalsOf } from './stats.js';

function signIn(id: string, time: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    createdDateTime: time,
    userPrincipalName: 'harry.potter@hogwarts.com',
    isInteractive: true,
    status: { errorCode: 50126, failureReason: 'Invalid password' },
    location: { city: 'Hanoi', state: 'Ha Noi', countryOrRegion: 'VN' },
    ...extra,
  });
}

async function scan(files: string[]): Promise<ScanResult> {
  return runScan(files.map((file) => ({ kind: 'file', path: file })), createDetector(resolveRuleConfig()), {
    layout: 'auto',
    time: DEFAULT_TIME_OPTIONS,
    maxRecordBytes: 1 << 20,
    tableHint: null,
  });
}

describe('data-quality warnings', () => {
  let root: string;
  let first: string;
  let second: string;
  let third: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'crackwatch-quality-'));
    first = path.join(root, 'first.jsonl');
    second = path.join(root, 'second.jsonl');
    third = path.join(root, 'third.jsonl');
    writeFileSync(first, [
      signIn('a', '2025-04-12T09:00:00Z'),
      signIn('b', '2025-04-12T10:00:00Z', { userPrincipalName: '' }),
      signIn('c', '2025-04-12T11:00:00Z', { location: { geoCoordinates: {} } }),
      signIn('d', '2025-04-12T12:00:00Z', { location: { city: 'Paris', countryOrRegion: 'FR' } }),
      signIn('e', '2025-04-12T13:00:00Z', { location: '[object Object]' }),
    ].join('\n'));
    // Overlaps the first file and repeats one of its ids.
    writeFileSync(second, [signIn('a', '2025-04-12T09:00:00Z'), signIn('f', '2025-04-12T14:00:00Z')].join('\n'));
    // Starts a day after the second ends.
    writeFileSync(third, signIn('g', '2025-04-13T15:00:00Z'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('counts per-record warnings with the first record', async () => {
    const result = await scan([first]);
    const stats = result.files[0];
    assert.deepEqual(Object.fromEntries(stats.warnings), { 'no-upn': 1, 'empty-location': 2, 'partial-location': 1, 'corrupted-nested-field': 1 });
    assert.equal(stats.firstWarned.get('empty-location')?.line, 3);
  });

  it('finds duplicates, overlaps, gaps and the missing non-interactive half', async () => {
    const result = await scan([first, second, third]);
    const warnings = qualityWarnings(result.files, result.ids);
    const byCode = new Map(warnings.map((warning) => [warning.code, warning]));
    assert.equal(byCode.get('duplicate-id')?.count, 1);
    assert.equal(byCode.get('duplicate-id')?.first?.file, second);
    assert.ok(byCode.has('no-non-interactive'));
    assert.match(byCode.get('overlap')?.text ?? '', /second\.jsonl overlaps .*first\.jsonl from 2025-04-12T09:00:00/);
    assert.match(byCode.get('gap')?.text ?? '', /no records for 25\.0 h between .*second\.jsonl .* and .*third\.jsonl/);
  });

  it('scan summary and inspect print the same warnings', async () => {
    const result = await scan([first, second, third]);
    const warnings = qualityWarnings(result.files, result.ids);
    const summary = formatSummary(result.files, totalsOf(result.files), 0, 'rule', warnings);
    const report = formatInspectReport(result, warnings);
    for (const warning of warnings) {
      const fragment = warning.text.slice(0, 40);
      assert.ok(summary.includes(fragment), `summary lacks: ${fragment}`);
      assert.ok(report.includes(fragment), `inspect lacks: ${fragment}`);
    }
  });

  it('adjacent files raise no warning', async () => {
    const result = await scan([first]);
    const codes = qualityWarnings(result.files, result.ids).map((warning) => warning.code);
    assert.ok(!codes.includes('gap'));
    assert.ok(!codes.includes('overlap'));
    assert.ok(!codes.includes('duplicate-id'));
  });
});

describe('DuplicateIdTracker', () => {
  it('remembers up to its capacity and counts the rest', () => {
    const tracker = new DuplicateIdTracker(3);
    assert.equal(tracker.offer('a'), false);
    assert.equal(tracker.offer('b'), false);
    assert.equal(tracker.offer('a'), true);
    assert.equal(tracker.offer(''), false);
    assert.equal(tracker.offer(''), false);
    assert.equal(tracker.offer('c'), false);
    assert.equal(tracker.offer('d'), false);
    assert.equal(tracker.offer('d'), false, 'past the cap, new ids are not remembered');
    assert.equal(tracker.untracked, 2);
  });

  it('tells apart many distinct GUIDs', () => {
    const tracker = new DuplicateIdTracker();
    let duplicates = 0;
    for (let i = 0; i < 200_000; i++) if (tracker.offer(`0f0e0d0c-0b0a-4998-8776-${i.toString(16).padStart(12, '0')}`)) duplicates++;
    assert.equal(duplicates, 0);
  });
});
