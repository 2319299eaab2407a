import type { Ticks } from '../../core/time.js';
import type { SignInCollector } from './collect.js';
import type { IpUsers } from './model.js';

/**
 * Limits on the search for other users hit from an alert's IPs. A password spray hits thousands of users
 * from a few IPs, so every alert names the same IPs; without limits the search and the file grow with
 * alerts times users.
 */
export const IP_USER_LIMITS = {
  /** Users listed per IP and window (the alert's own user may be one of them). */
  listed: 11,
  /** Failures scanned per IP and window. */
  scanned: 20_000,
};

/**
 * Finds the users with failures from one IP in one window, once per (IP, window): alerts of scheduled runs
 * share their windows, so a spray's alerts share a handful of lists.
 */
export class IpUsersIndex {
  readonly lists: IpUsers[] = [];
  private readonly listIndexes = new Map<string, number>();
  private readonly failuresByIp = new Map<string, number[]>();

  constructor(private readonly collector: SignInCollector) {}

  /** Returns the index in `lists` of the users hit from `ip` in [start, end). */
  listFor(ip: string, start: Ticks, end: Ticks): number {
    const key = `${ip}\u0000${start}\u0000${end}`;
    let index = this.listIndexes.get(key);
    if (index === undefined) {
      index = this.lists.length;
      this.lists.push(this.build(ip, start, end));
      this.listIndexes.set(key, index);
    }
    return index;
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
      failures.sort((a, b) => {
        const x = this.collector.timeOf(a);
        const y = this.collector.timeOf(b);
        return x < y ? -1 : x > y ? 1 : a - b;
      });
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
