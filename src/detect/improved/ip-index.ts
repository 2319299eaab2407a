import type { Ticks } from '../../core/time.js';
import type { OtherUserEvidence } from './alert.js';
import { compareAttempts, type Attempt } from './attempt.js';

/** The attempts from one IP address, and the case-folded user of each (same positions). */
interface AddressAttempts {
  attempts: Attempt[];
  users: string[];
  /** Dense user numbers of `users`, set when the lists are sorted; null after a change. */
  userIds: Int32Array | null;
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
 * An index from IP address to the attempts that failed from it (references, no copies), each address's
 * attempts sorted by time once before the first search. A search visits only the attempts of the alert's
 * addresses inside its window. It tallies them in typed arrays indexed by a dense user number, so a wide
 * spray with hundreds of users behind one address costs no map entry or object per user and address.
 */
export class IpAddressIndex {
  private readonly byIpAddress = new Map<string, AddressAttempts>();
  private readonly userNumbers = new Map<string, number>();
  private readonly userNames: string[] = [];
  // Per-user tallies of one search, valid where `stamp` equals the search's number.
  private stamp = new Float64Array(0);
  private failures = new Int32Array(0);
  /** The last address visit that listed its address for the user; visits are numbered across searches. */
  private addressStamp = new Float64Array(0);
  /** Position of the user's latest attempt in the address list being visited. */
  private lastIndex = new Int32Array(0);
  private firstSeen: Ticks[] = [];
  private lastSeen: Ticks[] = [];
  private addresses: string[][] = [];
  private searches = 0;
  private visits = 0;

  add(ipAddress: string, user: string, attempt: Attempt): void {
    if (ipAddress === '') return;

    let entry = this.byIpAddress.get(ipAddress);
    if (entry === undefined) {
      entry = { attempts: [], users: [], userIds: null };
      this.byIpAddress.set(ipAddress, entry);
    }
    entry.attempts.push(attempt);
    entry.users.push(user);
    entry.userIds = null;
  }

  /** Marks an address's list for a rebuild, after one of its attempts changed its time or address. */
  touch(ipAddress: string, _user: string): void {
    const entry = this.byIpAddress.get(ipAddress);
    if (entry !== undefined) entry.userIds = null;
  }

  /** Drops the attempts that `isRetained` rejects, and the addresses left with none. */
  prune(isRetained: (attempt: Attempt) => boolean): void {
    for (const [ipAddress, entry] of this.byIpAddress) {
      const attempts: Attempt[] = [];
      const users: string[] = [];
      for (let i = 0; i < entry.attempts.length; i++) {
        const attempt = entry.attempts[i];
        if (!isRetained(attempt) || attempt.fields.IPAddress !== ipAddress) continue;
        attempts.push(attempt);
        users.push(entry.users[i]);
      }
      if (attempts.length === 0) this.byIpAddress.delete(ipAddress);
      else if (attempts.length !== entry.attempts.length) this.byIpAddress.set(ipAddress, { attempts, users, userIds: null });
    }
  }

  /**
   * Lists the users other than `user` with attempts from `ipAddresses` between `start` and `end` (inclusive),
   * most failures first, then by name.
   * NOTE: under watermarks, attempts the detector has dropped (older than one period before the watermark)
   * are no longer found. A batch scan keeps them all.
   */
  findOtherUsers(user: string, ipAddresses: ReadonlySet<string>, start: Ticks, end: Ticks): OtherUserEvidence<Ticks>[] {
    const search = ++this.searches;
    const touched: number[] = [];
    const visited: number[] = [];

    // Visiting the addresses in sorted order leaves each user's address list sorted.
    for (const ipAddress of [...ipAddresses].sort()) {
      const entry = this.byIpAddress.get(ipAddress);
      if (entry === undefined) continue;
      const visit = ++this.visits;
      const userIds = this.sorted(ipAddress, entry);
      // Looked up after sorting, which numbers users seen for the first time.
      const self = this.userNumbers.get(user) ?? -1;
      // Read after sorting too, which may have grown them.
      const { stamp, failures, addressStamp, lastIndex } = this;
      const attempts = entry.attempts;
      const afterLast = firstAtOrAfter(attempts, end + 1n);
      visited.length = 0;

      // The list is in time order, so a user's first attempt in this range is their earliest from the
      // address and the last one their latest: times are compared once per user and address, not per attempt.
      for (let i = firstAtOrAfter(attempts, start); i < afterLast; i++) {
        const id = userIds[i];
        if (id === self) continue;
        if (stamp[id] !== search) {
          stamp[id] = search;
          failures[id] = 0;
          this.firstSeen[id] = attempts[i].time;
          this.lastSeen[id] = attempts[i].time;
          this.addresses[id] = [];
          touched.push(id);
        }
        failures[id]++;
        lastIndex[id] = i;
        if (addressStamp[id] !== visit) {
          addressStamp[id] = visit;
          this.addresses[id].push(ipAddress);
          visited.push(id);
          if (attempts[i].time < this.firstSeen[id]) this.firstSeen[id] = attempts[i].time;
        }
      }
      for (const id of visited) {
        const time = attempts[lastIndex[id]].time;
        if (time > this.lastSeen[id]) this.lastSeen[id] = time;
      }
    }

    const result: OtherUserEvidence<Ticks>[] = touched.map((id) => ({
      UserPrincipalName: this.userNames[id],
      Failures: this.failures[id],
      IPAddress: this.addresses[id],
      FirstSeen: this.firstSeen[id],
      LastSeen: this.lastSeen[id],
    }));
    return result.sort((a, b) => b.Failures - a.Failures || (a.UserPrincipalName < b.UserPrincipalName ? -1 : 1));
  }

  /** Sorts an address's attempts by time once after a change, and numbers their users. */
  private sorted(ipAddress: string, entry: AddressAttempts): Int32Array {
    if (entry.userIds !== null) return entry.userIds;

    // An attempt whose earliest row came from another address has moved to that address's list, and one
    // that moved back may be listed twice.
    const seen = new Set<Attempt>();
    const order: number[] = [];
    for (let i = 0; i < entry.attempts.length; i++) {
      const attempt = entry.attempts[i];
      if (seen.has(attempt) || attempt.fields.IPAddress !== ipAddress) continue;
      seen.add(attempt);
      order.push(i);
    }
    order.sort((a, b) => compareAttempts(entry.attempts[a], entry.attempts[b]));
    const attempts = order.map((i) => entry.attempts[i]);
    const users = order.map((i) => entry.users[i]);
    const userIds = new Int32Array(users.length);
    for (let i = 0; i < users.length; i++) userIds[i] = this.numberOf(users[i]);
    entry.attempts = attempts;
    entry.users = users;
    entry.userIds = userIds;
    return userIds;
  }

  private numberOf(user: string): number {
    let id = this.userNumbers.get(user);
    if (id !== undefined) return id;
    id = this.userNames.length;
    this.userNumbers.set(user, id);
    this.userNames.push(user);
    if (id >= this.stamp.length) {
      const size = Math.max(1024, this.stamp.length * 2);
      this.stamp = grow(this.stamp, size);
      this.failures = grow(this.failures, size);
      this.addressStamp = grow(this.addressStamp, size);
      this.lastIndex = grow(this.lastIndex, size);
    }
    this.addresses.push([]);
    return id;
  }
}

function grow<T extends Int32Array | Float64Array>(array: T, size: number): T {
  const larger = new (array.constructor as new (length: number) => T)(size);
  larger.set(array);
  return larger;
}
