import { eventTime, type SignIn } from '../../core/signin.js';
import type { Ticks } from '../../core/time.js';
import type { LocationGranularity, SuccessEvidence } from './alert.js';
import { foldUpn, locationKey, locationParts, sourceRef } from './attempt.js';

interface SuccessRecord {
  readonly time: Ticks;
  readonly evidence: Omit<SuccessEvidence<Ticks>, 'MatchedOn'>;
  readonly ipAddress: string;
  readonly location: string | null;
}

/** The earliest and latest success seen for one user from one IP address or one location. */
interface SuccessPair {
  first: SuccessRecord;
  last: SuccessRecord;
}

interface UserSuccesses {
  readonly byIpAddress: Map<string, SuccessPair>;
  readonly byLocation: Map<string, SuccessPair>;
}

function isEarlier(a: SuccessRecord, b: SuccessRecord): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.evidence.Source.File !== b.evidence.Source.File) return a.evidence.Source.File < b.evidence.Source.File;
  return a.evidence.Source.Index < b.evidence.Source.Index;
}

function offer(map: Map<string, SuccessPair>, key: string, record: SuccessRecord): void {
  const pair = map.get(key);
  if (pair === undefined) {
    map.set(key, { first: record, last: record });
    return;
  }
  if (isEarlier(record, pair.first)) pair.first = record;
  if (isEarlier(pair.last, record)) pair.last = record;
}

/** Returns a success of the pair after `firstFailure`: the earliest when it is, else the latest, else null. */
function successAfter(pair: SuccessPair | undefined, firstFailure: Ticks): SuccessRecord | null {
  if (pair === undefined) return null;
  if (pair.first.time > firstFailure) return pair.first;
  return pair.last.time > firstFailure ? pair.last : null;
}

/** Tells whether `found` is later than the first failure from `key` (its IP address or its location). */
function sharesWith(firstFailures: ReadonlyMap<string, Ticks>, key: string, found: SuccessRecord): boolean {
  const firstFailure = firstFailures.get(key);
  return firstFailure !== undefined && found.time > firstFailure;
}

/**
 * Successful sign-ins, held as a digest so that input in any order finds them: for each user, and for
 * each IP address and each known location that user signed in from, the earliest and the latest success.
 * Memory grows with users and their distinct addresses and locations, never with rows.
 *
 * NOTE: only two successes are kept per address or location. The success reported after an address's first
 * failure is therefore the first one after it only when no success from that address preceded it, and the
 * latest one otherwise. Whether such a success exists is always exact.
 */
export class SuccessIndex {
  private readonly users = new Map<string, UserSuccesses>();

  constructor(private readonly granularity: LocationGranularity) {}

  add(signIn: SignIn): void {
    const user = foldUpn(signIn.UserPrincipalName);
    let successes = this.users.get(user);
    if (successes === undefined) {
      successes = { byIpAddress: new Map(), byLocation: new Map() };
      this.users.set(user, successes);
    }

    const location = locationKey(signIn.LocationDetails, this.granularity);
    const { country, state, city } = locationParts(signIn.LocationDetails);
    const record: SuccessRecord = {
      time: eventTime(signIn),
      ipAddress: signIn.IPAddress,
      location,
      evidence: {
        TimeGenerated: signIn.TimeGenerated,
        Id: signIn.Id,
        CorrelationId: signIn.CorrelationId,
        Type: signIn.Type,
        UserPrincipalName: signIn.UserPrincipalName,
        IPAddress: signIn.IPAddress,
        Location: location ?? `${country}/${state}/${city}`,
        AppDisplayName: signIn.AppDisplayName,
        Source: sourceRef(signIn),
      },
    };
    if (signIn.IPAddress !== '') offer(successes.byIpAddress, signIn.IPAddress, record);
    if (location !== null) offer(successes.byLocation, location, record);
  }

  /**
   * Finds a success of `user` from an attacking IP address or location after the first failure from that
   * same address or location (the maps give each one's first failure): the earliest such success the digest
   * keeps. A success that came before its address failed at all shows nothing about the attack.
   */
  findAfter(user: string, firstFailureByIp: ReadonlyMap<string, Ticks>, firstFailureByLocation: ReadonlyMap<string, Ticks>): SuccessEvidence<Ticks> | null {
    const successes = this.users.get(user);
    if (successes === undefined) return null;

    let best: SuccessRecord | null = null;
    for (const [map, firstFailures] of [
      [successes.byIpAddress, firstFailureByIp],
      [successes.byLocation, firstFailureByLocation],
    ] as const) {
      for (const [key, firstFailure] of firstFailures) {
        const candidate = successAfter(map.get(key), firstFailure);
        if (candidate !== null && (best === null || isEarlier(candidate, best))) best = candidate;
      }
    }

    if (best === null) return null;
    const found: SuccessRecord = best;
    const matchedOn: ('IPAddress' | 'Location')[] = [];
    if (sharesWith(firstFailureByIp, found.ipAddress, found)) matchedOn.push('IPAddress');
    if (found.location !== null && sharesWith(firstFailureByLocation, found.location, found)) matchedOn.push('Location');
    return { ...found.evidence, MatchedOn: matchedOn };
  }

  /**
   * Forgets successes before `before`, for a live monitor. A success can only raise a burst that started
   * before it, so the caller passes the start of the oldest burst still possible. Where only the earliest
   * success of a pair is old, the latest replaces it, which keeps the existence check exact.
   */
  prune(before: Ticks): void {
    for (const [user, successes] of this.users) {
      for (const map of [successes.byIpAddress, successes.byLocation]) {
        for (const [key, pair] of map) {
          if (pair.last.time < before) map.delete(key);
          else if (pair.first.time < before) pair.first = pair.last;
        }
      }
      if (successes.byIpAddress.size === 0 && successes.byLocation.size === 0) this.users.delete(user);
    }
  }

  get userCount(): number {
    return this.users.size;
  }
}
