import type { Ticks } from '../../core/time.js';
import type { SignInCollector } from './collect.js';
import type { OtherUser } from './model.js';

/**
 * Limits on the search for other users hit from an alert's IPs. A password spray hits thousands of users
 * from a few IPs, so every alert names the same IPs. Without limits the search and the file would grow
 * with alerts times users.
 */
export const IP_USER_LIMITS = {
  /** Users listed per IP and window (the alert's own user may be one of them). */
  listed: 11,
  /** Failures scanned per IP and window. */
  scanned: 20_000,
};

/** Users with failures from one IP in one window. */
export interface IpUsers {
  readonly ip: string;
  /** The users with the most failures from the IP in the window, most first (the alert's own user included). */
  readonly users: { readonly user: string; readonly failures: number }[];
  /** Distinct users with failures from the IP in the window, among the failures scanned. */
  readonly userCount: number;
  /** False when the IP had more failures in the window than the report scans, so userCount is a lower bound. */
  readonly complete: boolean;
}

/**
 * Finds the users with failures from one IP in one window, once per (IP, window): alerts of scheduled runs
 * share their windows, so a spray's alerts share a handful of lists.
 */
export class IpUsersIndex {
  private readonly lists = new Map<string, IpUsers>();
  private readonly failuresByIp = new Map<string, number[]>();

  constructor(private readonly collector: SignInCollector) {}

  /** Returns the users hit from `ip` in [start, end). */
  listFor(ip: string, start: Ticks, end: Ticks): IpUsers {
    const key = `${ip}\u0000${start}\u0000${end}`;
    let list = this.lists.get(key);
    if (list === undefined) {
      list = this.build(ip, start, end);
      this.lists.set(key, list);
    }
    return list;
  }

  /**
   * Lists the other users with failures from any of `ips` in [start, end), merged from each IP's list.
   * Exact when every IP's list contains all its users. Otherwise users outside an IP's list are missed, and
   * the returned note states it.
   */
  otherUsers(user: string, ips: readonly string[], start: Ticks, end: Ticks): { users: OtherUser[]; total: number; note: string | null } {
    const self = user.toLowerCase();
    const merged = new Map<string, OtherUser>();
    let cut = false;
    let largest = 0;
    for (const ip of ips) {
      const list = this.listFor(ip, start, end);
      if (!list.complete || list.userCount > list.users.length) cut = true;
      const others = list.users.filter((row) => row.user.toLowerCase() !== self);
      largest = Math.max(largest, list.userCount - (list.users.length > others.length ? 1 : 0));
      for (const row of others) {
        const entry = merged.get(row.user);
        if (entry === undefined) merged.set(row.user, { user: row.user, failures: row.failures, ips: [ip] });
        else merged.set(row.user, { user: row.user, failures: entry.failures + row.failures, ips: [...entry.ips, ip] });
      }
    }
    const users = [...merged.values()].sort((a, b) => b.failures - a.failures || (a.user < b.user ? -1 : 1));
    const total = Math.max(users.length, largest);
    const note = cut
      ? `At least ${total} other users failed from these IP addresses; this table merges the ${IP_USER_LIMITS.listed - 1} most-hit users of each address, so failure sums can be low.`
      : null;
    return { users, total, note };
  }

  private build(ip: string, start: Ticks, end: Ticks): IpUsers {
    const failures = this.failuresFrom(ip);
    const counts = new Map<string, number>();
    let scanned = 0;
    let position = this.firstAtOrAfter(failures, start);
    for (; position < failures.length && scanned < IP_USER_LIMITS.scanned; position++, scanned++) {
      const index = failures[position];
      if (this.collector.timeOf(index) >= end) break;
      const upn = this.collector.upnOf(index);
      counts.set(upn, (counts.get(upn) ?? 0) + 1);
    }
    const complete = position >= failures.length || this.collector.timeOf(failures[position]) >= end;

    const users = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, IP_USER_LIMITS.listed)
      .map(([user, count]) => ({ user, failures: count }));
    return { ip, users, userCount: counts.size, complete };
  }

  /** Returns the kept failures from `ip`, in time order. */
  private failuresFrom(ip: string): number[] {
    let failures = this.failuresByIp.get(ip);
    if (failures === undefined) {
      failures = this.collector.fromIp(ip).filter((index) => this.collector.isFailure(index));
      failures.sort((a, b) => compareTicks(this.collector.timeOf(a), this.collector.timeOf(b)) || a - b);
      this.failuresByIp.set(ip, failures);
    }
    return failures;
  }

  private firstAtOrAfter(failures: readonly number[], time: Ticks): number {
    let low = 0;
    let high = failures.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.collector.timeOf(failures[middle]) < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

function compareTicks(a: Ticks, b: Ticks): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
