import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeDataset } from '../bench/generate.js';
import { createDetector } from '../src/detect/index.js';
import { CandidateUserCounter } from '../src/detect/improved/candidate-users.js';
import { ImprovedDetector } from '../src/detect/improved/detector.js';
import { runParallelScan } from '../src/pipeline/parallel-scan.js';
import { runScan, type ScanOptions } from '../src/pipeline/scan.js';
import { burst, logAnalyticsRow } from './helpers/records.js';
import type { FileStats } from '../src/pipeline/stats.js';
import { resolveRuleConfig } from '../src/rule/config.js';
import { formatNdjson } from '../src/sinks/json.js';

interface Outcome {
  alerts: string;
  files: FileStats[];
  skips: string[];
}

function options(prefilter: boolean, skips: string[]): ScanOptions {
  return {
    layout: 'auto',
    time: { assumedOffsetMinutes: null, slashDateOrder: null },
    maxRecordBytes: 1 << 20,
    tableHint: null,
    prefilter,
    onSkip: (reason, source) => skips.push(`${source.file}:${source.line} #${source.index} ${reason}`),
  };
}

async function oneThread(files: string[], prefilter: boolean): Promise<Outcome> {
  const skips: string[] = [];
  const result = await runScan(files.map((file) => ({ kind: 'file', path: file })), createDetector(resolveRuleConfig({ mode: 'parity' })), options(prefilter, skips));
  return { alerts: formatNdjson(result.alerts), files: result.files, skips };
}

async function threads(files: string[], prefilter: boolean, rangeBytes: number, count = 2): Promise<Outcome> {
  const skips: string[] = [];
  const inputs = files.map((file) => ({ kind: 'file' as const, path: file }));
  const result = await runParallelScan(inputs, createDetector(resolveRuleConfig({ mode: 'parity' })), options(prefilter, skips), count, rangeBytes);
  return { alerts: formatNdjson(result.alerts), files: result.files, skips };
}

describe('runParallelScan', () => {
  let directory: string;
  let files: string[];

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'crackwatch-threads-'));
    const paths = {
      ndjson: path.join(directory, 'la.ndjson'),
      diagnostic: path.join(directory, 'diagnostic.ndjson'),
      array: path.join(directory, 'la.json'),
      gzip: path.join(directory, 'la.ndjson.gz'),
    };
    await writeDataset(paths, 11, 3000, 2);
    // Bad lines in the middle and at the end, without a final newline, so that ranges must number lines right.
    const lines = (await readFile(paths.diagnostic, 'utf8')).split('\n');
    lines.splice(1000, 0, '{"time": broken', '', 'not json at all');
    await writeFile(paths.diagnostic, lines.join('\n'));
    await appendFile(paths.diagnostic, '\n{"truncated": ');
    files = [paths.ndjson, paths.diagnostic, paths.array, paths.gzip];
  });

  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  // Two threads are the calling thread and one worker; three add a second worker that races for tasks.
  for (const [prefilter, count] of [[true, 2], [false, 2], [true, 3]] as const) {
    it(`matches one thread ${prefilter ? 'with' : 'without'} the pre-filter, on ${count} threads`, async () => {
      const expected = await oneThread(files, prefilter);
      const actual = await threads(files, prefilter, 64 * 1024, count);

      assert.ok(expected.alerts.length > 0, 'the generated data should raise alerts');
      assert.equal(actual.alerts, expected.alerts);
      assert.deepEqual(actual.skips.sort(), expected.skips.sort());
      assert.equal(actual.files.length, expected.files.length);
      for (let i = 0; i < expected.files.length; i++) {
        assert.deepEqual(actual.files[i], expected.files[i], `stats of ${expected.files[i].file}`);
      }
      // The same records in four layouts: every id repeats across files, and across ranges within them.
      assert.ok(expected.files.some((stats) => (stats.warnings.get('duplicate-id') ?? 0) > 0), 'the inputs should repeat sign-in ids');
    });
  }

  it('matches one thread in improved mode with its candidate users', async () => {
    // Improved mode's second pass: threads hand over the counted records and the candidates' successes. Two
    // attacked users, one of whom signs in later from an attacking address, among other users' successes.
    const specs = [
      ...burst('alice@contoso.com', '2025-04-12T08:00:00.000Z', 33, 4),
      ...burst('bob@contoso.com', '2025-04-12T09:00:00.000Z', 34, 3),
      { ...burst('alice@contoso.com', '2025-04-12T12:00:00.000Z', 1, 1)[0], code: '0' },
      ...Array.from({ length: 300 }, (_, i) => ({ ...burst(`user${i}@contoso.com`, '2025-04-12T07:00:00.000Z', 1, 1)[0], code: '0' })),
    ];
    const file = path.join(directory, 'improved.ndjson');
    await writeFile(file, specs.map((spec) => JSON.stringify(logAnalyticsRow(spec))).join('\n') + '\n');
    const inputs = [{ kind: 'file' as const, path: file }];

    const rule = resolveRuleConfig({ mode: 'improved' });
    const counter = new CandidateUserCounter(rule);
    await runScan(inputs, counter, options(true, []));
    const successUsers = counter.candidates();
    assert.deepEqual([...successUsers].sort(), ['alice@contoso.com', 'bob@contoso.com']);

    const singleSkips: string[] = [];
    const single = await runScan(inputs, new ImprovedDetector(rule, { successUsers }), options(true, singleSkips));
    const threadedSkips: string[] = [];
    const threaded = await runParallelScan(inputs, new ImprovedDetector(rule, { successUsers }), options(true, threadedSkips), 2, 4 * 1024);

    assert.equal(single.alerts.length, 2);
    assert.deepEqual(
      single.alerts.map((alert) => (alert as { Severity: string }).Severity),
      ['High', 'Medium'],
    );
    assert.equal(formatNdjson(threaded.alerts), formatNdjson(single.alerts));
    assert.deepEqual(threadedSkips.sort(), singleSkips.sort());
    assert.deepEqual(threaded.files[0], single.files[0]);
  });

  it('numbers skipped lines across ranges', async () => {
    // The pre-filter would pass over these lines unparsed, so only a full parse reports them.
    const actual = await threads([files[1]], false, 16 * 1024);
    assert.ok(actual.skips.some((skip) => skip.endsWith(':1001 #1001 invalid-json')), actual.skips.join('\n'));
    assert.ok(actual.skips.some((skip) => skip.endsWith(':1003 #1002 invalid-json')), actual.skips.join('\n'));
    assert.ok(actual.skips.some((skip) => skip.endsWith(':3005 #3003 invalid-json')), actual.skips.join('\n'));
  });
});
