import type { SignIn } from '../../core/signin.js';
import { startOfUtcDay, type Ticks } from '../../core/time.js';
import type { RuleConfig } from '../../rule/config.js';
import type { Detector } from '../detector.js';
import { classifyRecord, equalsIgnoringAsciiCase, type FilterOutcome } from '../rule-filter.js';
import { findQualifyingSpans } from '../sliding.js';
import type { ImprovedAlert, OtherUserEvidence } from './alert.js';
import {
  attemptFields,
  attemptKey,
  compareAttempts,
  compareRows,
  failureKind,
  foldUpn,
  locationKey,
  sourceRef,
  type Attempt,
  type AttemptRow,
} from './attempt.js';
import { buildImprovedAlert, type AlertContext, type AlertWindow } from './build-alert.js';
import { scheduledRuns } from './scheduled-runs.js';
import { SuccessIndex } from './successes.js';
import { locationString } from '../parity-aggregate.js';

/** Reason a row of the explained user added no counted attempt. */
export type RowExclusion = 'other-table' | 'other-operation' | 'success' | 'other-result' | 'duplicate';

export interface RowDecision {
  readonly row: AttemptRow;
  readonly resultType: string;
  /** Null when the row added a counted attempt. */
  readonly exclusion: RowExclusion | null;
  /** For duplicates: the key of the attempt it collapsed into. */
  readonly attemptKey: string | null;
  /** False when the row's location is empty or partial at the configured granularity. */
  readonly locationKnown: boolean;
}

/** One window the detector tested for a user, for --explain. */
export interface WindowTrace {
  readonly start: Ticks;
  readonly end: Ticks;
  readonly attempts: number;
  readonly locations: number;
  readonly unknownLocations: number;
  readonly failureThresholdHeld: boolean;
  readonly locationThresholdHeld: boolean;
}

interface UserState {
  readonly attempts: Map<string, Attempt>;
}

export interface ImprovedDetectorOptions {
  /** Case-folded or not: the UPN whose rows and windows are recorded for --explain. */
  readonly explainUser?: string;
}

/**
 * The improved detection: counts de-duplicated sign-in attempts per case-folded user across both tables,
 * counts only known locations as distinct, splits 50053 by failure reason, and raises the severity when a
 * later success shares an attacking IP address or location. Sliding windows by default.
 *
 * Memory: one entry per counted attempt of users with failures, plus an index from IP address to the users
 * that failed from it. The index has one entry per user and address, so other-user evidence costs no more
 * than the attempts themselves. Successes go to the digest of SuccessIndex.
 */
export class ImprovedDetector implements Detector {
  private readonly users = new Map<string, UserState>();
  private readonly usersByIpAddress = new Map<string, Set<string>>();
  private readonly successes: SuccessIndex;
  private readonly period: Ticks;
  private readonly context: AlertContext;
  private readonly explainUser: string | null;
  private readonly decisions: RowDecision[] = [];
  private readonly windowTraces: WindowTrace[] = [];
  private earliest: Ticks | null = null;
  private anchor: Ticks | null;
  /** Scheduled windows: runs at or before this time have been reported. */
  private reportedUntil: Ticks | null = null;

  constructor(
    readonly rule: RuleConfig,
    options: ImprovedDetectorOptions = {},
  ) {
    this.period = rule.window.period;
    this.anchor = rule.window.kind === 'scheduled' ? rule.window.start : null;
    this.successes = new SuccessIndex(rule.locationGranularity);
    this.explainUser = options.explainUser === undefined ? null : foldUpn(options.explainUser);
    this.context = {
      rule,
      findLaterSuccess: (user, after, ipAddresses, locations) => this.successes.findAfter(user, after, ipAddresses, locations),
      findOtherUsers: (user, ipAddresses, start, end) => this.findOtherUsers(user, ipAddresses, start, end),
    };
  }

  add(signIn: SignIn): FilterOutcome {
    const time = signIn.TimeGenerated;
    if (this.earliest === null || time < this.earliest) this.earliest = time;

    const outcome = classifyRecord(signIn, this.rule);
    const user = foldUpn(signIn.UserPrincipalName);
    const explained = user === this.explainUser;

    if (outcome !== 'counted') {
      const isSuccess = outcome === 'other-result' && signIn.ResultType === '0' && this.isRuleSignIn(signIn);
      if (isSuccess) this.successes.add(signIn);
      if (explained) this.record(signIn, isSuccess ? 'success' : outcome, null, null);
      return outcome;
    }

    let state = this.users.get(user);
    if (state === undefined) {
      state = { attempts: new Map() };
      this.users.set(user, state);
    }

    const key = attemptKey(signIn);
    const row: AttemptRow = {
      time,
      type: signIn.Type,
      userPrincipalName: signIn.UserPrincipalName,
      locationString: locationString(signIn.LocationDetails),
      source: sourceRef(signIn),
    };
    const existing = state.attempts.get(key);
    if (existing !== undefined) {
      existing.rows.push(row);
      // The earliest row describes the attempt, so the result does not depend on reading order.
      if (compareRows(row, existing.rows[0]) < 0) {
        existing.rows.sort(compareRows);
        this.describe(existing, signIn);
      }
      if (explained) this.record(signIn, 'duplicate', key, row);
      return outcome;
    }

    const attempt: Attempt = { key, time, fields: attemptFields(signIn), location: null, locationString: '', kind: 'other', rows: [row] };
    this.describe(attempt, signIn);
    state.attempts.set(key, attempt);
    this.indexIpAddress(signIn.IPAddress, user);
    if (explained) this.record(signIn, null, key, row);
    return outcome;
  }

  private isRuleSignIn(signIn: SignIn): boolean {
    return this.rule.tables.includes(signIn.Type) && equalsIgnoringAsciiCase(signIn.OperationName, this.rule.operationName);
  }

  private describe(attempt: Attempt, signIn: SignIn): void {
    attempt.time = signIn.TimeGenerated;
    attempt.fields = attemptFields(signIn);
    attempt.location = locationKey(signIn.LocationDetails, this.rule.locationGranularity);
    attempt.locationString = attempt.rows[0].locationString;
    attempt.kind = failureKind(signIn);
  }

  private indexIpAddress(ipAddress: string, user: string): void {
    if (ipAddress === '') return;
    let users = this.usersByIpAddress.get(ipAddress);
    if (users === undefined) {
      users = new Set();
      this.usersByIpAddress.set(ipAddress, users);
    }
    users.add(user);
  }

  private record(signIn: SignIn, exclusion: RowExclusion | null, key: string | null, row: AttemptRow | null): void {
    this.decisions.push({
      row: row ?? {
        time: signIn.TimeGenerated,
        type: signIn.Type,
        userPrincipalName: signIn.UserPrincipalName,
        locationString: locationString(signIn.LocationDetails),
        source: sourceRef(signIn),
      },
      resultType: signIn.ResultType,
      exclusion,
      attemptKey: key,
      locationKnown: locationKey(signIn.LocationDetails, this.rule.locationGranularity) !== null,
    });
  }

  advanceWatermark(watermark: Ticks): ImprovedAlert[] {
    return this.evaluate(watermark);
  }

  finish(): ImprovedAlert[] {
    return this.evaluate(null);
  }

  /** Rows of the explained user in reading order, with what happened to each. */
  explainedRows(): readonly RowDecision[] {
    return this.decisions;
  }

  /** Windows tested for the explained user during the last evaluation. */
  explainedWindows(): readonly WindowTrace[] {
    return this.windowTraces;
  }

  /** Counts over the state: users with failures, attempts, rows collapsed, attempts without a known location. */
  counts(): { users: number; attempts: number; duplicateRows: number; unknownLocations: number } {
    let attempts = 0;
    let duplicateRows = 0;
    let unknownLocations = 0;
    for (const state of this.users.values()) {
      for (const attempt of state.attempts.values()) {
        attempts++;
        duplicateRows += attempt.rows.length - 1;
        if (attempt.location === null) unknownLocations++;
      }
    }
    return { users: this.users.size, attempts, duplicateRows, unknownLocations };
  }

  /** Returns a user's attempts sorted by time, for --explain and --compare. */
  attemptsOf(user: string): Attempt[] {
    const state = this.users.get(foldUpn(user));
    return state === undefined ? [] : [...state.attempts.values()].sort(compareAttempts);
  }

  private evaluate(watermark: Ticks | null): ImprovedAlert[] {
    const alerts: ImprovedAlert[] = [];
    // Alerts are built before any state is dropped, so other-user evidence reads every retained failure.
    const drops: [string, UserState, number][] = [];
    for (const [user, state] of this.users) {
      const attempts = [...state.attempts.values()].sort(compareAttempts);
      const keepFrom = this.rule.window.kind === 'sliding' ? this.evaluateSliding(user, attempts, watermark, alerts) : this.evaluateScheduled(user, attempts, watermark, alerts);
      drops.push([user, state, keepFrom]);
    }

    for (const [user, state, keepFrom] of drops) {
      if (watermark === null) continue;
      const attempts = [...state.attempts.values()].sort(compareAttempts);
      for (let i = 0; i < keepFrom; i++) state.attempts.delete(attempts[i].key);
      if (state.attempts.size === 0) this.users.delete(user);
    }
    // After finish the state stays readable for --explain and --compare; the detector is dropped with it.
    if (watermark !== null && this.rule.window.kind === 'scheduled' && this.anchor !== null) this.reportedUntil = this.lastRunAtOrBefore(watermark);
    this.pruneIpIndex();
    return alerts.sort(compareImprovedAlerts);
  }

  /** Returns the index of the first attempt to keep after reporting. */
  private evaluateSliding(user: string, attempts: Attempt[], watermark: Ticks | null, alerts: ImprovedAlert[]): number {
    const explained = user === this.explainUser;
    if (explained) this.windowTraces.length = 0;
    const onWindow = explained
      ? (window: { first: number; last: number; locationCount: number }) => {
          const count = window.last - window.first + 1;
          let unknown = 0;
          for (let i = window.first; i <= window.last; i++) if (attempts[i].location === null) unknown++;
          this.windowTraces.push({
            start: attempts[window.first].time,
            end: attempts[window.last].time + 1n,
            attempts: count,
            locations: window.locationCount,
            unknownLocations: unknown,
            failureThresholdHeld: count > this.rule.failureThreshold,
            locationThresholdHeld: window.locationCount >= this.rule.locationThreshold,
          });
        }
      : undefined;

    const spans = findQualifyingSpans(attempts, this.period, this.rule.failureThreshold, this.rule.locationThreshold, onWindow);
    let keepFrom = 0;
    for (const span of spans) {
      if (watermark !== null && attempts[span.last].time + this.period > watermark) break;
      const window: AlertWindow = { start: attempts[span.first].time, end: attempts[span.last].time + 1n, firstTriggeredAt: span.firstTriggeredAt };
      alerts.push(buildImprovedAlert(user, attempts.slice(span.first, span.last + 1), window, this.context));
      keepFrom = span.last + 1;
    }
    if (watermark === null) return keepFrom;

    // Attempts more than one period before the watermark can join no future window, unless a span that is
    // still open contains them.
    const openFrom = spans.find((span) => attempts[span.last].time + this.period > watermark)?.first ?? attempts.length;
    while (keepFrom < openFrom && attempts[keepFrom].time + this.period <= watermark) keepFrom++;
    return keepFrom;
  }

  private resolveAnchor(): Ticks | null {
    if (this.anchor === null && this.earliest !== null) this.anchor = startOfUtcDay(this.earliest);
    return this.anchor;
  }

  private lastRunAtOrBefore(time: Ticks): Ticks {
    if (this.rule.window.kind !== 'scheduled' || this.anchor === null) return time;
    const frequency = this.rule.window.frequency;
    const offset = time - this.anchor;
    const quotient = offset / frequency;
    const k = quotient * frequency > offset ? quotient - 1n : quotient;
    return this.anchor + k * frequency;
  }

  private evaluateScheduled(user: string, attempts: Attempt[], watermark: Ticks | null, alerts: ImprovedAlert[]): number {
    if (this.rule.window.kind !== 'scheduled') return 0;
    const anchor = this.resolveAnchor();
    if (anchor === null) return 0;

    const explained = user === this.explainUser;
    if (explained) this.windowTraces.length = 0;
    const frequency = this.rule.window.frequency;
    let keepFrom = 0;
    for (const run of scheduledRuns(attempts.map((attempt) => attempt.time), anchor, frequency, this.period)) {
      if (watermark !== null && run.runTime > watermark) break;
      if (this.reportedUntil !== null && run.runTime <= this.reportedUntil) continue;

      const windowAttempts = attempts.slice(run.first, run.last + 1);
      const locations = new Set<string>();
      let unknown = 0;
      for (const attempt of windowAttempts) {
        if (attempt.location === null) unknown++;
        else locations.add(attempt.location);
      }
      const failureHeld = windowAttempts.length > this.rule.failureThreshold;
      const locationHeld = locations.size >= this.rule.locationThreshold;
      if (explained) {
        this.windowTraces.push({
          start: run.runTime - this.period,
          end: run.runTime,
          attempts: windowAttempts.length,
          locations: locations.size,
          unknownLocations: unknown,
          failureThresholdHeld: failureHeld,
          locationThresholdHeld: locationHeld,
        });
      }
      if (failureHeld && locationHeld) {
        alerts.push(buildImprovedAlert(user, windowAttempts, { start: run.runTime - this.period, end: run.runTime, firstTriggeredAt: null }, this.context));
      }
    }

    if (watermark !== null) {
      // Keep what the next run's window can still read.
      const nextRun = this.lastRunAtOrBefore(watermark) + frequency;
      while (keepFrom < attempts.length && attempts[keepFrom].time < nextRun - this.period) keepFrom++;
    }
    return keepFrom;
  }

  /**
   * Lists other users with retained failures from `ipAddresses` between `start` and `end` (inclusive).
   * NOTE: under watermarks, failures dropped from state (older than one period before the watermark) are
   * no longer found. A batch scan keeps them all.
   */
  private findOtherUsers(user: string, ipAddresses: ReadonlySet<string>, start: Ticks, end: Ticks): OtherUserEvidence<Ticks>[] {
    const candidates = new Set<string>();
    for (const ipAddress of ipAddresses) {
      for (const other of this.usersByIpAddress.get(ipAddress) ?? []) if (other !== user) candidates.add(other);
    }

    const result: OtherUserEvidence<Ticks>[] = [];
    for (const other of candidates) {
      const state = this.users.get(other);
      if (state === undefined) continue;

      let evidence: OtherUserEvidence<Ticks> | null = null;
      const shared = new Set<string>();
      for (const attempt of state.attempts.values()) {
        if (attempt.time < start || attempt.time > end || !ipAddresses.has(attempt.fields.IPAddress)) continue;
        shared.add(attempt.fields.IPAddress);
        if (evidence === null) evidence = { UserPrincipalName: other, Failures: 0, IPAddress: [], FirstSeen: attempt.time, LastSeen: attempt.time };
        evidence.Failures++;
        if (attempt.time < evidence.FirstSeen) evidence.FirstSeen = attempt.time;
        if (attempt.time > evidence.LastSeen) evidence.LastSeen = attempt.time;
      }
      if (evidence !== null) {
        evidence.IPAddress = [...shared].sort();
        result.push(evidence);
      }
    }
    return result.sort((a, b) => b.Failures - a.Failures || (a.UserPrincipalName < b.UserPrincipalName ? -1 : 1));
  }

  private pruneIpIndex(): void {
    for (const [ipAddress, users] of this.usersByIpAddress) {
      for (const user of users) if (!this.users.has(user)) users.delete(user);
      if (users.size === 0) this.usersByIpAddress.delete(ipAddress);
    }
  }

  snapshot(): unknown {
    const users: [string, [string, string, string, number][]][] = [];
    for (const [user, state] of this.users) {
      users.push([user, [...state.attempts.values()].map((attempt) => [attempt.key, attempt.time.toString(), attempt.location ?? '', attempt.rows.length])]);
    }
    return { kind: 'improved', earliest: this.earliest?.toString() ?? null, users, successUsers: this.successes.userCount };
  }
}

/** Orders improved alerts by user, then window. */
export function compareImprovedAlerts(a: ImprovedAlert, b: ImprovedAlert): number {
  if (a.UserPrincipalName !== b.UserPrincipalName) return a.UserPrincipalName < b.UserPrincipalName ? -1 : 1;
  if (a.WindowStart !== b.WindowStart) return a.WindowStart < b.WindowStart ? -1 : 1;
  return 0;
}
