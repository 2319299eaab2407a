import { getProperty, type Dynamic } from '../../core/kql.js';
import { eventTime, type SignIn } from '../../core/signin.js';
import { startOfUtcDay, type Ticks } from '../../core/time.js';
import type { RuleConfig } from '../../rule/config.js';
import type { Detector } from '../detector.js';
import { classifyRecord, equalsIgnoringAsciiCase, type FilterOutcome } from '../rule-filter.js';
import { findQualifyingSpans } from '../sliding.js';
import type { ImprovedAlert } from './alert.js';
import {
  attemptKey,
  coordinatesOf,
  locationParts,
  compareAttempts,
  failureKind,
  foldUpn,
  locationKey,
  sourceRef,
  type Attempt,
  type AttemptRow,
} from './attempt.js';
import { HeldAttempt } from './held-attempt.js';
import { buildImprovedAlert, type AlertContext, type AlertWindow } from './build-alert.js';
import { scheduledRuns } from './scheduled-runs.js';
import { IpAddressIndex } from './ip-index.js';
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
  readonly attempts: Map<string, HeldAttempt>;
  /** Rows the rule counts, duplicates included. */
  rows: number;
}

export interface ImprovedDetectorOptions {
  /** Case-folded or not: the UPN whose rows and windows are recorded for --explain. */
  readonly explainUser?: string;
  /**
   * Case-folded UPNs whose successful sign-ins are kept; absent keeps every user's. Only the users that
   * can raise an alert need them (see CandidateUserCounter).
   */
  readonly successUsers?: ReadonlySet<string>;
}

/**
 * The improved detection: counts de-duplicated sign-in attempts per case-folded user across both tables,
 * counts only known locations as distinct, splits 50053 by failure reason, and raises the severity when a
 * later success shares an attacking IP address or location. Sliding windows by default.
 *
 * Memory: one HeldAttempt per counted attempt of users with failures, with repeated strings interned, plus
 * an index from IP address to the attempts from it. The index keeps references to the attempts, so
 * other-user evidence costs two array slots per attempt. Successes go to the digest of SuccessIndex.
 */
export class ImprovedDetector implements Detector {
  private readonly users = new Map<string, UserState>();
  /** Interned strings of the state. Emptied at each watermark, so that a stream cannot grow the table without end. */
  private readonly strings = new Map<string, string>();
  private readonly ipIndex = new IpAddressIndex();
  private readonly successes: SuccessIndex;
  private readonly period: Ticks;
  private readonly context: AlertContext;
  private readonly explainUser: string | null;
  private readonly successUsers: ReadonlySet<string> | null;
  private readonly missed = new Set<string>();
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
    this.successUsers = options.successUsers ?? null;
    this.context = {
      rule,
      findLaterSuccess: (user, firstFailureByIp, firstFailureByLocation) => this.successes.findAfter(user, firstFailureByIp, firstFailureByLocation),
      findOtherUsers: (user, ipAddresses, start, end) => this.ipIndex.findOtherUsers(user, ipAddresses, start, end),
    };
  }

  add(signIn: SignIn): FilterOutcome {
    // Windows follow when the sign-in happened, not when Log Analytics received it, so records that
    // arrive late still fall in the window of the attack they belong to.
    const time = eventTime(signIn);
    if (this.earliest === null || time < this.earliest) this.earliest = time;

    const outcome = classifyRecord(signIn, this.rule);
    const explained = this.explainUser !== null && foldUpn(signIn.UserPrincipalName) === this.explainUser;

    if (outcome !== 'counted') {
      const isSuccess = outcome === 'other-result' && signIn.ResultType === '0' && this.isRuleSignIn(signIn);
      if (isSuccess && (this.successUsers === null || this.successUsers.has(foldUpn(signIn.UserPrincipalName)))) this.successes.add(signIn);
      if (explained) this.record(signIn, isSuccess ? 'success' : outcome, null, null);
      return outcome;
    }

    // The folded UPN is a new string per record, and the IP index keeps one per attempt.
    const user = this.intern(foldUpn(signIn.UserPrincipalName));
    let state = this.users.get(user);
    if (state === undefined) {
      state = { attempts: new Map(), rows: 0 };
      this.users.set(user, state);
    }
    state.rows++;
    // A user above the threshold whose successes were not kept: the first pass counted fewer rows.
    if (this.successUsers !== null && state.rows > this.rule.failureThreshold && !this.successUsers.has(user)) this.missed.add(user);

    const key = attemptKey(signIn);
    const source = sourceRef(signIn);
    source.File = this.intern(source.File);
    const row: AttemptRow = {
      time,
      type: this.intern(signIn.Type),
      userPrincipalName: this.intern(signIn.UserPrincipalName),
      locationString: this.intern(locationString(signIn.LocationDetails)),
      source,
    };
    const existing = state.attempts.get(key);
    if (existing !== undefined) {
      // The earliest row describes the attempt, so the result does not depend on reading order.
      if (existing.addRow(row)) {
        const previousIpAddress = existing.IPAddress;
        this.describe(existing, signIn, row);
        this.ipIndex.touch(previousIpAddress, user);
        if (existing.IPAddress !== previousIpAddress) this.ipIndex.add(existing.IPAddress, user, existing);
      }
      if (explained) this.record(signIn, 'duplicate', key, row);
      return outcome;
    }

    const attempt = new HeldAttempt(key);
    this.describe(attempt, signIn, row);
    state.attempts.set(key, attempt);
    this.ipIndex.add(signIn.IPAddress, user, attempt);
    if (explained) this.record(signIn, null, key, row);
    return outcome;
  }

  relevantSuccessUsers(): ReadonlySet<string> | null {
    return this.successUsers;
  }

  /**
   * Returns the users with more counted rows than the threshold whose successes were not kept, because
   * `successUsers` left them out. The scan must then read its input again with them included.
   */
  get missedSuccessUsers(): ReadonlySet<string> {
    return this.missed;
  }

  private isRuleSignIn(signIn: SignIn): boolean {
    return this.rule.tables.includes(signIn.Type) && equalsIgnoringAsciiCase(signIn.OperationName, this.rule.operationName);
  }

  /**
   * Returns the one stored copy of a repeated string. Each parsed record carries its own copies of UPN, IP
   * address, description, location and file name. Kept per attempt, they would take most of the memory of a
   * wide spray.
   */
  private intern(text: string): string {
    const held = this.strings.get(text);
    if (held !== undefined) return held;
    this.strings.set(text, text);
    return text;
  }

  private internDynamic(value: Dynamic): Dynamic {
    return typeof value === 'string' ? this.intern(value) : value;
  }

  /** Describes the attempt by `row`, its earliest row, and the sign-in that row came from. */
  private describe(attempt: HeldAttempt, signIn: SignIn, row: AttemptRow): void {
    attempt.time = row.time;
    attempt.timeGenerated = signIn.TimeGenerated;
    attempt.Id = signIn.Id;
    attempt.OriginalRequestId = signIn.OriginalRequestId;
    attempt.CorrelationId = this.intern(signIn.CorrelationId);
    attempt.Type = row.type;
    attempt.UserPrincipalName = row.userPrincipalName;
    attempt.ResultType = this.intern(signIn.ResultType);
    attempt.ResultDescription = this.intern(signIn.ResultDescription);
    attempt.IPAddress = this.intern(signIn.IPAddress);
    attempt.AppDisplayName = this.intern(signIn.AppDisplayName);
    attempt.UserAgent = this.intern(signIn.UserAgent);
    attempt.browser = this.internDynamic(getProperty(signIn.DeviceDetail, 'browser'));
    attempt.os = this.internDynamic(getProperty(signIn.DeviceDetail, 'operatingSystem'));
    const location = locationKey(signIn.LocationDetails, this.rule.locationGranularity);
    attempt.location = location === null ? null : this.intern(location);
    attempt.locationString = row.locationString;
    attempt.country = this.intern(locationParts(signIn.LocationDetails).country);
    attempt.coordinates = coordinatesOf(signIn.LocationDetails);
    attempt.kind = failureKind(signIn);
    attempt.file = row.source.File;
    attempt.line = row.source.Line;
    attempt.index = row.source.Index;
  }

  private record(signIn: SignIn, exclusion: RowExclusion | null, key: string | null, row: AttemptRow | null): void {
    this.decisions.push({
      row: row ?? {
        time: eventTime(signIn),
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
        duplicateRows += attempt.rowCount - 1;
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
    if (watermark !== null) this.strings.clear();
    if (watermark !== null) this.successes.prune(this.oldestPossibleBurstStart(watermark));
    if (watermark !== null) this.ipIndex.prune((attempt) => this.users.get(foldUpn(attempt.fields.UserPrincipalName))?.attempts.get(attempt.key) === attempt);
    return alerts.sort(compareImprovedAlerts);
  }

  /** Returns the earliest time a burst not yet reported can start: one period before the watermark, or earlier if an attempt still held is older. */
  private oldestPossibleBurstStart(watermark: Ticks): Ticks {
    let oldest = watermark - this.period;
    for (const state of this.users.values()) {
      for (const attempt of state.attempts.values()) if (attempt.time < oldest) oldest = attempt.time;
    }
    return oldest;
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
