import { dynamicSetKey, type Dynamic } from '../core/kql.js';
import type { Ticks } from '../core/time.js';

interface FirstSetEntry {
  value: Dynamic;
  /** Earliest TimeGenerated at which the value was seen. */
  first: Ticks;
}

/** A FirstSet as plain JSON, for checkpoints. */
export type FirstSetState = [key: string, value: Dynamic, first: string][];

/**
 * make_set(x, cap) that gives the same result whatever order the rows arrive in.
 *
 * Kusto leaves make_set's order and the survivors of the cap unspecified. crackwatch fixes them: values in
 * order of first appearance in time (ties broken by ordinal comparison of the value), and the first `cap` of
 * that order survive. Only the `cap` earliest values need to be held: a value pushed out can never come back
 * ahead of them, because the cap-th earliest time only moves earlier as rows arrive.
 */
export class FirstSet {
  private readonly entries = new Map<string, FirstSetEntry>();

  constructor(readonly cap: number) {}

  /** Adds a value seen at `time`; null is skipped and an array is added element by element, as make_set does. */
  add(value: Dynamic, time: Ticks): void {
    if (value === null) return;

    if (Array.isArray(value)) {
      for (const element of value) this.add(element, time);
      return;
    }

    const key = dynamicSetKey(value);
    this.offer(key, value, time);
  }

  /** Adds a string value; the fast path for the string columns. */
  addString(value: string, time: Ticks): void {
    this.offer('s' + value, value, time);
  }

  private offer(key: string, value: Dynamic, time: Ticks): void {
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      if (time < existing.first) existing.first = time;
      return;
    }

    if (this.entries.size < this.cap) {
      this.entries.set(key, { value, first: time });
      return;
    }

    // Full: replace the latest entry if this value was seen earlier than it.
    let latestKey = '';
    let latest: FirstSetEntry | undefined;
    for (const [entryKey, entry] of this.entries) {
      if (latest === undefined || compareEntries(entry, entryKey, latest, latestKey) > 0) {
        latest = entry;
        latestKey = entryKey;
      }
    }
    if (latest !== undefined && compareEntries({ value, first: time }, key, latest, latestKey) < 0) {
      this.entries.delete(latestKey);
      this.entries.set(key, { value, first: time });
    }
  }

  mergeFrom(other: FirstSet): void {
    for (const [key, entry] of other.entries) this.offer(key, entry.value, entry.first);
  }

  /** Returns the values in first-appearance order. */
  values(): Dynamic[] {
    return [...this.entries.entries()]
      .sort(([keyA, a], [keyB, b]) => compareEntries(a, keyA, b, keyB))
      .map(([, entry]) => entry.value);
  }

  get size(): number {
    return this.entries.size;
  }

  toState(): FirstSetState {
    return [...this.entries].map(([key, entry]) => [key, entry.value, entry.first.toString()]);
  }

  static fromState(cap: number, state: FirstSetState): FirstSet {
    const set = new FirstSet(cap);
    for (const [key, value, first] of state) set.entries.set(key, { value, first: BigInt(first) });
    return set;
  }
}

function compareEntries(a: FirstSetEntry, keyA: string, b: FirstSetEntry, keyB: string): number {
  if (a.first !== b.first) return a.first < b.first ? -1 : 1;
  if (keyA === keyB) return 0;
  return keyA < keyB ? -1 : 1;
}
