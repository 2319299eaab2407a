import type { Ticks } from '../../core/time.js';
import type { OtherUserEvidence } from './alert.js';
import { compareAttempts, type Attempt } from './attempt.js';

interface UserAttempts {
  readonly attempts: Attempt[];
  /** False after an attempt was added, changed or dropped; the list is then rebuilt before it is searched. */
  sorted: boolean;
}

function firstAtOrAfter(attempts: readonly Attempt[], time: Ticks): number {
  let low = 0;
  let high = attempts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (attempts[middle].time < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * An index from IP address to the users who failed from it, with references to their attempts (no copies).
 * A wide spray puts hundreds of users behind one address, so each user's attempts from an address are kept
 * sorted by time and a window is counted by binary search instead of by visiting every attempt.
 */
export class IpAddressIndex {
  private readonly byIpAddress = new Map<string, Map<string, UserAttempts>>();

  add(ipAddress: string, user: string, attempt: Attempt): void {
    if (ipAddress === '') return;

    let users = this.byIpAddress.get(ipAddress);
    if (users === undefined) {
      users = new Map();
      this.byIpAddress.set(ipAddress, users);
    }
    const entry = users.get(user);
    if (entry === undefined) {
      users.set(user, { attempts: [attempt], sorted: true });
      return;
    }
    entry.attempts.push(attempt);
    entry.sorted = false;
  }

  /** Marks a user's lists for a rebuild, after one of their attempts changed its time or address. */
  touch(ipAddress: string, user: string): void {
    const entry = this.byIpAddress.get(ipAddress)?.get(user);
    if (entry !== undefined) entry.sorted = false;
  }

  /** Drops the attempts that `isRetained` rejects, and the users and addresses left with none. */
  prune(isRetained: (attempt: Attempt) => boolean): void {
    for (const [ipAddress, users] of this.byIpAddress) {
      for (const [user, entry] of users) {
        const kept = entry.attempts.filter((attempt) => isRetained(attempt) && attempt.fields.IPAddress === ipAddress);
        if (kept.length === 0) users.delete(user);
        else if (kept.length !== entry.attempts.length) users.set(user, { attempts: kept, sorted: false });
      }
      if (users.size === 0) this.byIpAddress.delete(ipAddress);
    }
  }

  /**
   * Lists the users other than `user` with attempts from `ipAddresses` between `start` and `end` (inclusive).
   * NOTE: under watermarks, attempts the detector has dropped (older than one period before the watermark)
   * are no longer found. A batch scan keeps them all.
   */
  findOtherUsers(user: string, ipAddresses: ReadonlySet<string>, start: Ticks, end: Ticks): OtherUserEvidence<Ticks>[] {
    const found = new Map<string, OtherUserEvidence<Ticks>>();

    for (const ipAddress of ipAddresses) {
      const users = this.byIpAddress.get(ipAddress);
      if (users === undefined) continue;

      for (const [other, entry] of users) {
        if (other === user) continue;
        const attempts = this.sortedAttempts(ipAddress, entry);
        const first = firstAtOrAfter(attempts, start);
        const afterLast = firstAtOrAfter(attempts, end + 1n);
        if (afterLast <= first) continue;

        const evidence = found.get(other);
        const firstSeen = attempts[first].time;
        const lastSeen = attempts[afterLast - 1].time;
        if (evidence === undefined) {
          found.set(other, { UserPrincipalName: other, Failures: afterLast - first, IPAddress: [ipAddress], FirstSeen: firstSeen, LastSeen: lastSeen });
          continue;
        }
        evidence.Failures += afterLast - first;
        evidence.IPAddress.push(ipAddress);
        if (firstSeen < evidence.FirstSeen) evidence.FirstSeen = firstSeen;
        if (lastSeen > evidence.LastSeen) evidence.LastSeen = lastSeen;
      }
    }

    const result = [...found.values()];
    for (const evidence of result) evidence.IPAddress.sort();
    return result.sort((a, b) => b.Failures - a.Failures || (a.UserPrincipalName < b.UserPrincipalName ? -1 : 1));
  }

  private sortedAttempts(ipAddress: string, entry: UserAttempts): Attempt[] {
    if (!entry.sorted) {
      // An attempt whose earliest row came from another address has moved to that address's list, and one
      // that moved back may be listed twice.
      const kept = [...new Set(entry.attempts)].filter((attempt) => attempt.fields.IPAddress === ipAddress);
      kept.sort(compareAttempts);
      entry.attempts.length = 0;
      entry.attempts.push(...kept);
      entry.sorted = true;
    }
    return entry.attempts;
  }
}
