import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { formatTicks } from '../src/core/time.js';
import type { FileStats } from '../src/pipeline/stats.js';
import { corpusFolder } from './helpers/corpus.js';
import { decodeBytes } from './helpers/decode.js';
import { scanPaths } from './helpers/scan-paths.js';

/**
 * Reads the published sign-in samples kept outside the repository (their licences do not allow copying them
 * in). Each test is skipped, with the reason, when the folder is not there.
 */
const CORPUS = corpusFolder() ?? '';
const skip = CORPUS !== '' ? false : 'public sign-in corpus not found beside the checkout (shared/corpus/public)';

function file(name: string): string {
  return path.join(CORPUS, name);
}

function summary(stats: FileStats) {
  return {
    records: stats.records,
    tables: Object.fromEntries(stats.tables),
    skipped: Object.fromEntries(stats.skipped),
    encoding: stats.encoding,
    layouts: [...stats.schemas.keys()],
    fatal: stats.fatal,
  };
}

const EXPECTED: Record<string, ReturnType<typeof summary>> = {
  'mku2-ciso-logs-public/SigninLogs.csv': { records: 57, tables: { SigninLogs: 57 }, skipped: {}, encoding: 'utf-16be', layouts: ['log-analytics'], fatal: null },
  'isaacdunham-bec-telemetry/SigninLogs.csv': { records: 18, tables: { SigninLogs: 18 }, skipped: {}, encoding: 'utf-8', layouts: ['log-analytics'], fatal: null },
  'isaacdunham-bec-telemetry/AADNonInteractiveUserSignInLogs.csv': { records: 302, tables: { AADNonInteractiveUserSignInLogs: 302 }, skipped: {}, encoding: 'utf-8', layouts: ['log-analytics'], fatal: null },
  'sentinel-training-lab/sign-in_adelete.csv': { records: 56, tables: { SigninLogs: 56 }, skipped: {}, encoding: 'utf-8-bom', layouts: ['log-analytics'], fatal: null },
  'datadog-alfo/service_principal_sign_in_logs.json': { records: 25, tables: {}, skipped: { 'other-category': 25 }, encoding: 'utf-8', layouts: [], fatal: null },
  'elastic-integrations/test-signinlogs-raw.log': { records: 5, tables: { SigninLogs: 1, AADNonInteractiveUserSignInLogs: 1 }, skipped: { 'other-category': 3 }, encoding: 'utf-8', layouts: ['diagnostic'], fatal: null },
  'sekoia-intake-formats/sign-in_activity6.json': { records: 1, tables: { AADNonInteractiveUserSignInLogs: 1 }, skipped: {}, encoding: 'utf-8', layouts: ['diagnostic'], fatal: null },
  'sekoia-intake-formats/sign-in_activity7.json': { records: 1, tables: {}, skipped: { 'other-category': 1 }, encoding: 'utf-8', layouts: [], fatal: null },
  'sekoia-intake-formats/test_signin.json': { records: 1, tables: { SigninLogs: 1 }, skipped: {}, encoding: 'utf-8', layouts: ['graph'], fatal: null },
  'rj060501-entra-monitoring/InteractiveSignIns_2026-05-29_2026-06-05.excerpt-first2.json': { records: 2, tables: { SigninLogs: 2 }, skipped: {}, encoding: 'utf-8', layouts: ['graph'], fatal: null },
};

describe('published samples in every layout', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`reads ${name}`, { skip }, async () => {
      const result = await scanPaths([file(name)]);
      assert.deepEqual(summary(result.files[0]), expected);
    });
  }

  it('counts the one rule failure in the mku2 export', { skip }, async () => {
    const result = await scanPaths([file('mku2-ciso-logs-public/SigninLogs.csv')]);
    assert.equal(result.files[0].outcomes.get('counted'), 1);
  });

  it('reads every sample with nothing left unaccounted', { skip }, async () => {
    const result = await scanPaths([CORPUS]);
    for (const stats of result.files) {
      const skipped = [...stats.skipped.values()].reduce((sum, count) => sum + count, 0);
      const kept = [...stats.tables.values()].reduce((sum, count) => sum + count, 0);
      assert.equal(stats.records, kept + skipped, stats.file);
      assert.equal(stats.fatal, null, stats.file);
    }
  });

  it('reads the Elastic timestamp corner cases when told the zone and order', { skip }, async () => {
    const name = file('elastic-integrations/test-time-formats-corner-cases.log');
    const bytes = readFileSync(name);
    const guessed = await decodeBytes(name, bytes, { layout: 'diagnostic' });
    assert.equal(guessed.signIns.length, 5);
    assert.deepEqual(guessed.skips.map((item) => item.source.line), [1, 2, 3, 4, 5, 6]);
    assert.ok(guessed.skips.every((item) => item.reason === 'invalid-timestamp' && /--time-(zone|format)/.test(item.message)));

    const told = await decodeBytes(name, bytes, { layout: 'diagnostic', time: { assumedOffsetMinutes: 0, slashDateOrder: 'mdy' } });
    assert.equal(told.signIns.length, 11);
    for (const item of told.signIns) assert.equal(formatTicks(item.signIn.TimeGenerated).slice(0, 19), '2007-01-09T09:41:00');
  });

  it('maps the Graph excerpt alike in every Graph framing', { skip }, async () => {
    const objects = JSON.parse(readFileSync(file('rj060501-entra-monitoring/InteractiveSignIns_2026-05-29_2026-06-05.excerpt-first2.json'), 'utf8')) as object[];
    const framings = [
      JSON.stringify(objects),
      objects.map((object) => JSON.stringify(object)).join('\n'),
      JSON.stringify({ '@odata.context': 'x', value: objects, '@odata.nextLink': 'y' }),
      objects.map((object) => JSON.stringify([object], null, 4)).join('\r\n'),
      '\uFEFF' + objects.map((object) => JSON.stringify(object, null, 2)).join('\n'),
      objects.map((object) => JSON.stringify({ input: { message: JSON.stringify(object) } })).join('\n'),
    ];
    const mapped = [];
    for (const text of framings) {
      const decoded = await decodeBytes('page.json', text);
      assert.equal(decoded.skips.length, 0);
      mapped.push(decoded.signIns.map((item) => ({ ...item.signIn, Source: null })));
    }
    for (const other of mapped.slice(1)) assert.deepEqual(other, mapped[0]);
    assert.equal(mapped[0][0].ResultType, '50089');
  });
});
