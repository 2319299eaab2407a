import type { Ticks } from '../../core/time.js';

/** One scheduled run and the failures its window [runTime - period, runTime) holds, as indexes into the sorted list. */
export interface ScheduledRun {
  readonly runTime: Ticks;
  readonly first: number;
  readonly last: number;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return quotient * b > a ? quotient - 1n : quotient;
}

/**
 * Lists the runs T_k = anchor + k * frequency (k >= 0) whose window contains at least one of `times`, with the
 * same bounds as the parity scheduled detector: start inclusive, end exclusive. `times` must be sorted.
 */
export function scheduledRuns(times: readonly Ticks[], anchor: Ticks, frequency: Ticks, period: Ticks): ScheduledRun[] {
  const runs: ScheduledRun[] = [];
  if (times.length === 0) return runs;

  // The first run whose window can hold the earliest time is the first with T_k > t_0.
  let k = floorDiv(times[0] - anchor, frequency) + 1n;
  if (k < 0n) k = 0n;
  let left = 0;
  let right = 0;

  while (left < times.length) {
    const runTime = anchor + k * frequency;
    const windowStart = runTime - period;
    while (left < times.length && times[left] < windowStart) left++;
    if (right < left) right = left;
    while (right < times.length && times[right] < runTime) right++;

    if (right > left) runs.push({ runTime, first: left, last: right - 1 });
    if (left >= times.length) break;

    // Skip runs that would hold nothing: jump to the first run after the next failure not yet past.
    const next = right < times.length ? times[right] : times[left];
    const nextK = floorDiv(next - anchor, frequency) + 1n;
    if (right > left || nextK <= k) k++;
    else k = nextK;
  }
  return runs;
}
