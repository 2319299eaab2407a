import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TICKS_PER_HOUR } from '../../core/time.js';
import { scheduledRuns } from './scheduled-runs.js';

const H = TICKS_PER_HOUR;

test('daily runs split a burst at midnight', () => {
  const times = [22n * H, 23n * H, 24n * H, 25n * H];
  const runs = scheduledRuns(times, 0n, 24n * H, 24n * H);
  assert.deepEqual(runs, [
    { runTime: 24n * H, first: 0, last: 1 },
    { runTime: 48n * H, first: 2, last: 3 },
  ]);
});

test('window end is exclusive', () => {
  const runs = scheduledRuns([24n * H], 0n, 24n * H, 24n * H);
  assert.deepEqual(runs, [{ runTime: 48n * H, first: 0, last: 0 }]);
});

test('overlapping lookback sees a row twice', () => {
  const runs = scheduledRuns([1n * H], 0n, 1n * H, 2n * H);
  assert.deepEqual(runs.map((run) => run.runTime), [2n * H, 3n * H]);
});

test('empty gaps skip runs', () => {
  const runs = scheduledRuns([1n * H, 100n * H], 0n, 24n * H, 24n * H);
  assert.deepEqual(runs.map((run) => run.runTime), [24n * H, 120n * H]);
});
