import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ATTACK_KINDS, type AttackCounts, type GroundTruth } from '../src/generate/attacks.js';
import { DEFAULT_RATES, generateTenant } from '../src/generate/generate.js';
import { scanWithCli } from '../src/quality/runs.js';
import { attackKey, scoreRun, type RunScore } from '../src/quality/score.js';

let scratch: string;
let truth: GroundTruth[];
let parity: RunScore;

before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'crackwatch-quality-'));
  // Seed 1 gives benign clients retrying old passwords that parity flags (three false alerts), so improved has some to beat.
  const summary = await generateTenant({
    seed: 1,
    users: 120,
    days: 3,
    startDate: '2026-03-02',
    domain: 'contoso.com',
    guestShare: 0.08,
    attacks: Object.fromEntries(ATTACK_KINDS.map((kind) => [kind, 1])) as AttackCounts,
    rates: DEFAULT_RATES,
    layouts: ['la-jsonl'],
    outDir: scratch,
    gzip: false,
    maxFileBytes: 0,
  });
  truth = summary.truth;
  const result = await scanWithCli('parity', [path.join(scratch, 'la-jsonl')]);
  assert.ok(result.available, 'parity mode must run');
  parity = scoreRun(truth, result.alerts);
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('detection quality on a small fixed tenant', () => {
  test('parity catches distributed cracking', () => {
    assert.equal(parity.kinds.distributed.missed, 0);
    assert.equal(parity.kinds.success.missed, 0);
  });

  test('parity misses attacks shaped around it', () => {
    assert.equal(parity.kinds.straddle.caught, 0);
    assert.equal(parity.kinds['cross-table'].caught, 0);
  });

  test('parity alerts on a benign user', () => {
    assert.ok(parity.falseAlerts > 0, 'the fixed tenant should hold a benign burst that parity flags');
  });

  test('improved catches what parity catches, with fewer false alerts', async (t) => {
    const result = await scanWithCli('improved', [path.join(scratch, 'la-jsonl')]);
    if (!result.available) {
      t.skip(`improved mode is not available in this build: ${result.reason}`);
      return;
    }
    const improved = scoreRun(truth, result.alerts);
    const lost = [...parity.caughtAttacks].filter((key) => !improved.caughtAttacks.has(key));
    assert.deepEqual(lost, [], 'attacks parity catches but improved misses');
    assert.ok(improved.falseAlerts < parity.falseAlerts, `improved ${improved.falseAlerts} false alerts, parity ${parity.falseAlerts}`);
    assert.ok(truth.every((attack) => typeof attackKey(attack) === 'string'));
  });
});
