import { dynamicSetKey } from '../core/kql.js';
import type { SignIn } from '../core/signin.js';
import type { Ticks } from '../core/time.js';
import type { RuleConfig } from '../rule/config.js';
import { buildParityAlert, compareAlerts, type ParityAlert } from './alert.js';
import type { Detector } from './detector.js';
import { ParityAggregate, parityFields, type ParityFields } from './parity-aggregate.js';
import { classifyRecord, type FilterOutcome } from './rule-filter.js';

/** Orders failures by time, then by content, so that equal timestamps sort the same whatever the input order. */
function compareFailures(a: ParityFields, b: ParityFields): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  const keyA = contentKey(a);
  const keyB = contentKey(b);
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}

function contentKey(fields: ParityFields): string {
  return JSON.stringify([
    fields.location,
    fields.ipAddress,
    fields.appDisplayName,
    fields.resultDescription,
    fields.browser === null ? null : dynamicSetKey(fields.browser),
    fields.os === null ? null : dynamicSetKey(fields.os),
  ]);
}

/** One merged alert's span over a group's sorted failures. */
export interface QualifyingSpan {
  /** Index of the first counted failure. */
  first: number;
  /** Index of the last counted failure. */
  last: number;
  /** Time of the failure at which the thresholds first held. */
  firstTriggeredAt: Ticks;
}

/**
 * Finds every period of length `period` in which more than `failureThreshold` failures come from at least
 * `locationThreshold` distinct locations, and merges overlapping ones.
 *
 * Invariant: `failures` is sorted by time. A period [s, s + period) holds failures i..j exactly when
 * t_j - t_i < period, so it is enough to test, for each j, the longest run i..j ending at j (two pointers).
 * Two qualifying periods overlap when their end failures are less than `period` apart. A null location
 * (improved mode's unknown location) counts as a failure but adds no distinct location. `onWindow`, when
 * given, sees every window tested (the longest run ending at each failure), for --explain.
 */
export function findQualifyingSpans(
  failures: readonly { time: Ticks; location: string | null }[],
  period: Ticks,
  failureThreshold: number,
  locationThreshold: number,
  onWindow?: (window: { first: number; last: number; locationCount: number }) => void,
): QualifyingSpan[] {
  const spans: QualifyingSpan[] = [];
  const locationCounts = new Map<string, number>();
  let left = 0;
  let lastQualifyingEnd = -1;

  for (let right = 0; right < failures.length; right++) {
    const rightFailure = failures[right];
    if (rightFailure.location !== null) locationCounts.set(rightFailure.location, (locationCounts.get(rightFailure.location) ?? 0) + 1);

    while (rightFailure.time - failures[left].time >= period) {
      const location = failures[left].location;
      if (location !== null) {
        const count = locationCounts.get(location)! - 1;
        if (count === 0) locationCounts.delete(location);
        else locationCounts.set(location, count);
      }
      left++;
    }

    const count = right - left + 1;
    onWindow?.({ first: left, last: right, locationCount: locationCounts.size });
    if (count <= failureThreshold || locationCounts.size < locationThreshold) continue;

    const current = spans.at(-1);
    if (current !== undefined && rightFailure.time - failures[lastQualifyingEnd].time < period) {
      current.last = right;
    } else {
      spans.push({ first: left, last: right, firstTriggeredAt: rightFailure.time });
    }
    lastQualifyingEnd = right;
  }
  return spans;
}

/**
 * Sliding windows over the rule's groups (exact UPN and Type): never misses an attack that straddles a run
 * boundary. Every counted failure is held until its group is evaluated.
 */
export class SlidingParityDetector implements Detector {
  private readonly groups = new Map<string, Map<string, ParityFields[]>>();
  private readonly period: Ticks;

  constructor(readonly rule: RuleConfig) {
    if (rule.window.kind !== 'sliding') throw new Error('SlidingParityDetector needs a sliding window');
    this.period = rule.window.period;
  }

  add(signIn: SignIn): FilterOutcome {
    const outcome = classifyRecord(signIn, this.rule);
    if (outcome !== 'counted') return outcome;

    let byUpn = this.groups.get(signIn.Type);
    if (byUpn === undefined) {
      byUpn = new Map();
      this.groups.set(signIn.Type, byUpn);
    }
    let failures = byUpn.get(signIn.UserPrincipalName);
    if (failures === undefined) {
      failures = [];
      byUpn.set(signIn.UserPrincipalName, failures);
    }
    failures.push(parityFields(signIn));
    return 'counted';
  }

  /**
   * Reports alerts whose last counted failure is more than one period before `watermark`, so no later
   * failure can extend them, and drops failures that can no longer join a period.
   */
  advanceWatermark(watermark: Ticks): ParityAlert[] {
    return this.evaluate(watermark);
  }

  finish(): ParityAlert[] {
    return this.evaluate(null);
  }

  private evaluate(watermark: Ticks | null): ParityAlert[] {
    const alerts: ParityAlert[] = [];
    for (const [type, byUpn] of this.groups) {
      for (const [upn, failures] of byUpn) {
        failures.sort(compareFailures);
        const spans = findQualifyingSpans(failures, this.period, this.rule.failureThreshold, this.rule.locationThreshold);

        let keepFrom = 0;
        for (const span of spans) {
          if (watermark !== null && failures[span.last].time + this.period > watermark) break;

          const aggregate = new ParityAggregate(this.rule.setCaps);
          for (let i = span.first; i <= span.last; i++) aggregate.add(failures[i]);
          alerts.push(
            buildParityAlert(upn, type, aggregate, {
              start: aggregate.start,
              end: aggregate.end + 1n,
              firstTriggeredAt: span.firstTriggeredAt,
            }),
          );
          keepFrom = span.last + 1;
        }

        if (watermark === null) {
          byUpn.delete(upn);
          continue;
        }

        // Failures older than one period before the watermark can join no future period, and those
        // already reported must not be reported again.
        let drop = keepFrom;
        while (drop < failures.length && failures[drop].time + this.period <= watermark && !this.isInOpenSpan(drop, spans, watermark, failures)) drop++;
        failures.splice(0, drop);
        if (failures.length === 0) byUpn.delete(upn);
      }
    }
    return alerts.sort(compareAlerts);
  }

  private isInOpenSpan(index: number, spans: QualifyingSpan[], watermark: Ticks, failures: ParityFields[]): boolean {
    return spans.some((span) => span.first <= index && failures[span.last].time + this.period > watermark);
  }

  snapshot(): unknown {
    const groups: [string, string, unknown[]][] = [];
    for (const [type, byUpn] of this.groups) {
      for (const [upn, failures] of byUpn) {
        groups.push([
          type,
          upn,
          failures.map((f) => [f.time.toString(), f.location, f.ipAddress, f.appDisplayName, f.resultDescription, f.browser, f.os]),
        ]);
      }
    }
    return { kind: 'sliding-parity', groups };
  }
}
