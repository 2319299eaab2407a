import type { SignIn } from '../core/signin.js';
import { startOfUtcDay, TICKS_PER_DAY, type Ticks } from '../core/time.js';
import type { RuleConfig } from '../rule/config.js';
import { buildParityAlert, compareAlerts, type ParityAlert } from './alert.js';
import type { Detector } from './detector.js';
import { ParityAggregate, parityFields, type ParityAggregateState, type ParityFields } from './parity-aggregate.js';
import { classifyRecord, type FilterOutcome } from './rule-filter.js';

/** The state of a ScheduledParityDetector as JSON-safe data. */
export interface ScheduledSnapshot {
  kind: 'scheduled-parity';
  anchor: string | null;
  earliest: string | null;
  reportedUntil: string | null;
  groups: [type: string, upn: string, slots: [slot: string, aggregate: ParityAggregateState][]][];
}

/**
 * Failures of one slot. Most users fail a few times a day, so a slot keeps its failures as a short list and
 * becomes a full aggregate (eight hash tables) only past COMPACT_SLOT_LIMIT failures. Both merge the same way.
 */
type SlotContent = ParityFields[] | ParityAggregate;

interface Slot {
  readonly index: bigint;
  content: SlotContent;
}

interface GroupState {
  /** Slots in no particular order; a run's window is the union of the slots it covers. Few per group, so an array. */
  slots: Slot[];
}

const COMPACT_SLOT_LIMIT = 32;

/** Distinct strings kept by the interner; past it, new strings are stored as read (correct, only larger). */
const INTERN_LIMIT = 100_000;

function compareBigints(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return quotient * b > a ? quotient - 1n : quotient;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return -floorDiv(-a, b);
}

/**
 * Sentinel's schedule: run k happens at T_k = T_0 + k * frequency and counts rows with TimeGenerated in
 * [T_k - period, T_k), start inclusive and end exclusive (Sentinel does not document the bounds). Each run is
 * independent, so one (UPN, Type) group can alert once per run.
 *
 * Rows are kept in slots whose edges fall on every run's window edges, so rows can arrive in any order and
 * T_0 can be decided after the earliest row has been seen. With the default start (00:00 UTC of the earliest
 * event's day) every edge is a multiple of gcd(frequency, period, 1 day) from the Unix epoch.
 */
export class ScheduledParityDetector implements Detector {
  private readonly groups = new Map<string, Map<string, GroupState>>();
  // Location, app and failure-reason strings repeat across millions of rows; one copy of each is kept.
  private readonly interned = new Map<string, string>();
  private readonly slotSize: Ticks;
  private readonly slotOrigin: Ticks;
  private readonly frequency: Ticks;
  private readonly period: Ticks;
  private anchor: Ticks | null;
  private earliest: Ticks | null = null;
  /** Runs at or before this time have been reported. */
  private reportedUntil: Ticks | null = null;

  constructor(readonly rule: RuleConfig) {
    if (rule.window.kind !== 'scheduled') throw new Error('ScheduledParityDetector needs a scheduled window');

    this.frequency = rule.window.frequency;
    this.period = rule.window.period;
    this.anchor = rule.window.start;
    if (this.anchor === null) {
      this.slotSize = gcd(gcd(this.frequency, this.period), TICKS_PER_DAY);
      this.slotOrigin = 0n;
    } else {
      this.slotSize = gcd(this.frequency, this.period);
      this.slotOrigin = ((this.anchor % this.slotSize) + this.slotSize) % this.slotSize;
    }
  }

  /**
   * Only counted failures enter a window. Without --start, the first run is at 00:00 UTC of the earliest
   * record's day, which records with other codes can move; that changes no run time when the frequency
   * divides a day, because every run then falls on the same grid from midnight. Otherwise every record's
   * time matters.
   */
  relevantResultTypes(): ReadonlySet<string> | null {
    if (this.rule.window.kind === 'scheduled' && this.rule.window.start === null && TICKS_PER_DAY % this.frequency !== 0n) return null;
    return this.rule.resultTypes;
  }

  add(signIn: SignIn): FilterOutcome {
    const time = signIn.TimeGenerated;
    if (this.earliest === null || time < this.earliest) this.earliest = time;

    const outcome = classifyRecord(signIn, this.rule);
    if (outcome !== 'counted') return outcome;

    let byUpn = this.groups.get(signIn.Type);
    if (byUpn === undefined) {
      byUpn = new Map();
      this.groups.set(signIn.Type, byUpn);
    }
    let group = byUpn.get(signIn.UserPrincipalName);
    if (group === undefined) {
      group = { slots: [] };
      byUpn.set(signIn.UserPrincipalName, group);
    }

    const index = floorDiv(time - this.slotOrigin, this.slotSize);
    let slot = group.slots.find((candidate) => candidate.index === index);
    if (slot === undefined) {
      slot = { index, content: [] };
      group.slots.push(slot);
    }

    const fields = this.internFields(parityFields(signIn));
    const content = slot.content;
    if (!Array.isArray(content)) {
      content.add(fields);
    } else if (content.length < COMPACT_SLOT_LIMIT) {
      content.push(fields);
    } else {
      const aggregate = new ParityAggregate(this.rule.setCaps);
      for (const pending of content) aggregate.add(pending);
      aggregate.add(fields);
      slot.content = aggregate;
    }
    return 'counted';
  }

  private intern(value: string): string {
    const existing = this.interned.get(value);
    if (existing !== undefined) return existing;
    if (this.interned.size < INTERN_LIMIT) this.interned.set(value, value);
    return value;
  }

  private internFields(fields: ParityFields): ParityFields {
    return {
      time: fields.time,
      location: this.intern(fields.location),
      ipAddress: fields.ipAddress,
      appDisplayName: this.intern(fields.appDisplayName),
      resultDescription: this.intern(fields.resultDescription),
      browser: typeof fields.browser === 'string' ? this.intern(fields.browser) : fields.browser,
      os: typeof fields.os === 'string' ? this.intern(fields.os) : fields.os,
    };
  }

  /** T_0: the configured start, or 00:00 UTC of the earliest event's day (fixed once first needed). */
  private resolveAnchor(): Ticks | null {
    if (this.anchor === null && this.earliest !== null) this.anchor = startOfUtcDay(this.earliest);
    return this.anchor;
  }

  advanceWatermark(watermark: Ticks): ParityAlert[] {
    return this.evaluate(watermark);
  }

  finish(): ParityAlert[] {
    return this.evaluate(null);
  }

  /** Evaluates every run with T_k <= `until` (all runs when null) that has not been reported yet. */
  private evaluate(until: Ticks | null): ParityAlert[] {
    const anchor = this.resolveAnchor();
    if (anchor === null) return [];

    const alerts: ParityAlert[] = [];
    for (const [type, byUpn] of this.groups) {
      for (const [upn, group] of byUpn) {
        for (const run of this.runsOf(group, anchor)) {
          const runTime = anchor + run * this.frequency;
          if (until !== null && runTime > until) continue;
          if (this.reportedUntil !== null && runTime <= this.reportedUntil) continue;

          const aggregate = this.aggregateRun(group, runTime);
          if (aggregate.count > this.rule.failureThreshold && aggregate.locations.size >= this.rule.locationThreshold) {
            alerts.push(buildParityAlert(upn, type, aggregate, { start: runTime - this.period, end: runTime, firstTriggeredAt: null }));
          }
        }
        if (until !== null) this.evictSlots(group, anchor, until);
        if (group.slots.length === 0) byUpn.delete(upn);
      }
    }

    if (until !== null) this.reportedUntil = floorDiv(until - anchor, this.frequency) * this.frequency + anchor;
    return alerts.sort(compareAlerts);
  }

  /** Returns the indexes k >= 0 of the runs whose window covers at least one slot of the group. */
  private runsOf(group: GroupState, anchor: Ticks): bigint[] {
    const runs = new Set<bigint>();
    for (const { index } of group.slots) {
      const slotStart = this.slotOrigin + index * this.slotSize;
      const first = ceilDiv(slotStart + this.slotSize - anchor, this.frequency);
      const last = floorDiv(slotStart + this.period - anchor, this.frequency);
      for (let run = first < 0n ? 0n : first; run <= last; run++) runs.add(run);
    }
    return [...runs].sort(compareBigints);
  }

  private aggregateRun(group: GroupState, runTime: Ticks): ParityAggregate {
    const windowStart = runTime - this.period;
    const aggregate = new ParityAggregate(this.rule.setCaps);
    for (const { index, content } of group.slots) {
      const slotStart = this.slotOrigin + index * this.slotSize;
      if (slotStart < windowStart || slotStart >= runTime) continue;
      if (Array.isArray(content)) for (const fields of content) aggregate.add(fields);
      else aggregate.mergeFrom(content);
    }
    return aggregate;
  }

  /** Drops slots that no run after `until` can read. */
  private evictSlots(group: GroupState, anchor: Ticks, until: Ticks): void {
    const nextRun = (floorDiv(until - anchor, this.frequency) + 1n) * this.frequency + anchor;
    const oldestNeeded = nextRun - this.period;
    group.slots = group.slots.filter(({ index }) => this.slotOrigin + index * this.slotSize >= oldestNeeded);
  }

  private aggregateOf(content: SlotContent): ParityAggregate {
    if (!Array.isArray(content)) return content;
    const aggregate = new ParityAggregate(this.rule.setCaps);
    for (const fields of content) aggregate.add(fields);
    return aggregate;
  }

  /** Rebuilds a detector from `snapshot()` output, e.g. after a restart. */
  static restore(rule: RuleConfig, state: ScheduledSnapshot): ScheduledParityDetector {
    const detector = new ScheduledParityDetector(rule);
    detector.anchor = state.anchor === null ? detector.anchor : BigInt(state.anchor);
    detector.earliest = state.earliest === null ? null : BigInt(state.earliest);
    detector.reportedUntil = state.reportedUntil === null ? null : BigInt(state.reportedUntil);
    for (const [type, upn, slots] of state.groups) {
      let byUpn = detector.groups.get(type);
      if (byUpn === undefined) {
        byUpn = new Map();
        detector.groups.set(type, byUpn);
      }
      const group: GroupState = { slots: [] };
      for (const [index, aggregate] of slots) group.slots.push({ index: BigInt(index), content: ParityAggregate.fromState(rule.setCaps, aggregate) });
      byUpn.set(upn, group);
    }
    return detector;
  }

  snapshot(): ScheduledSnapshot {
    const groups: [string, string, [string, ParityAggregateState][]][] = [];
    for (const [type, byUpn] of this.groups) {
      for (const [upn, group] of byUpn) {
        groups.push([type, upn, group.slots.map(({ index, content }) => [index.toString(), this.aggregateOf(content).toState()])]);
      }
    }
    return {
      kind: 'scheduled-parity' as const,
      anchor: this.anchor?.toString() ?? null,
      earliest: this.earliest?.toString() ?? null,
      reportedUntil: this.reportedUntil?.toString() ?? null,
      groups,
    };
  }
}
