import { getProperty, kqlToString, type Dynamic } from '../../core/kql.js';
import type { SignIn } from '../../core/signin.js';
import type { Ticks } from '../../core/time.js';
import { locationString } from '../../detect/parity-aggregate.js';
import { classifyRecord } from '../../detect/rule-filter.js';
import type { RuleConfig } from '../../rule/config.js';

/** Maximum sign-ins the report keeps in memory. Later ones are counted as dropped, and the report states it. */
export interface CollectLimits {
  readonly maxFailures: number;
  readonly maxSuccesses: number;
}

/**
 * One million failures and one million successes. At these limits the collector held about 610 MB of heap
 * (Node 20, synthetic sign-ins with UUID ids, 50,000 users and 65,536 IPs), about 300 bytes per sign-in.
 */
export const DEFAULT_COLLECT_LIMITS: CollectLimits = { maxFailures: 1_000_000, maxSuccesses: 1_000_000 };

export type SignInKind = 'failure' | 'success';

/** Interns strings so that repeated values (UPNs, IPs, locations, user agents) are stored once. */
class StringTable {
  private readonly indexes = new Map<string, number>();
  readonly values: string[] = [];

  intern(value: string): number {
    let index = this.indexes.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      this.indexes.set(value, index);
    }
    return index;
  }

  indexOf(value: string): number | undefined {
    return this.indexes.get(value);
  }
}

/** One kept sign-in, read back from the columns. */
export interface CollectedSignIn {
  readonly index: number;
  readonly kind: SignInKind;
  readonly time: Ticks;
  readonly upn: string;
  readonly table: string;
  readonly ip: string;
  readonly location: string;
  /** Parity mode counts every location string, including the rule's "//" for missing location data. */
  readonly locationCounts: true;
  readonly resultType: string;
  readonly resultDescription: string;
  readonly app: string;
  readonly userAgent: string;
  readonly browser: string;
  readonly operatingSystem: string;
  readonly id: string;
  readonly correlationId: string;
  readonly file: string;
  /** 1-based line, or minus the 1-based record number in a file without lines. */
  readonly position: number;
  /** File and line (or record number), for people. */
  readonly source: string;
}

/**
 * Keeps the failures the rule counts and the successful sign-ins (ResultType 0) of a scan in compact
 * columns. From them the report shows each parity alert's failures over time, the users hit from the same
 * IPs and a later successful sign-in. Parity alerts carry no per-failure rows, so the report collects
 * them in the scan's single pass, because standard input cannot be read twice.
 */
export class SignInCollector {
  private readonly strings = new StringTable();
  private times = new BigInt64Array(1024);
  private readonly kinds: number[] = [];
  private readonly upns: number[] = [];
  private readonly tables: number[] = [];
  private readonly ips: number[] = [];
  private readonly locations: number[] = [];
  private readonly resultTypes: number[] = [];
  private readonly descriptions: number[] = [];
  private readonly apps: number[] = [];
  private readonly userAgents: number[] = [];
  private readonly browsers: number[] = [];
  private readonly systems: number[] = [];
  private readonly ids: string[] = [];
  private readonly correlationIds: string[] = [];
  private readonly files: number[] = [];
  private readonly positions: number[] = [];

  /** Sign-in indexes by case-folded UPN, by IP and by location string. */
  private readonly byUser = new Map<string, number[]>();
  private readonly byIp = new Map<number, number[]>();
  /** The first geoCoordinates seen per location string, as [latitude, longitude]. */
  readonly coordinates = new Map<string, [number, number]>();

  failures = 0;
  successes = 0;
  droppedFailures = 0;
  droppedSuccesses = 0;

  /**
   * With `keepSignIns` false only coordinates are kept: improved alerts carry their own evidence, so the
   * report needs from the scan only where each location is.
   */
  constructor(
    private readonly rule: RuleConfig,
    private readonly limits: CollectLimits = DEFAULT_COLLECT_LIMITS,
    private readonly keepSignIns = true,
  ) {}

  get size(): number {
    return this.kinds.length;
  }

  /** Offers one sign-in; keeps it when the rule counts it as a failure or when it is a successful sign-in. */
  add(signIn: SignIn): void {
    if (!this.keepSignIns) {
      this.addCoordinates(signIn.LocationDetails);
      return;
    }

    let kind: SignInKind;
    if (classifyRecord(signIn, this.rule) === 'counted') kind = 'failure';
    else if (signIn.ResultType === '0' && this.rule.tables.includes(signIn.Type)) kind = 'success';
    else return;

    if (kind === 'failure') {
      if (this.failures >= this.limits.maxFailures) {
        this.droppedFailures++;
        return;
      }
      this.failures++;
    } else {
      if (this.successes >= this.limits.maxSuccesses) {
        this.droppedSuccesses++;
        return;
      }
      this.successes++;
    }
    this.append(signIn, kind);
  }

  private append(signIn: SignIn, kind: SignInKind): void {
    const index = this.kinds.length;
    if (index === this.times.length) {
      const grown = new BigInt64Array(this.times.length * 2);
      grown.set(this.times);
      this.times = grown;
    }
    this.times[index] = signIn.TimeGenerated;

    const location = locationString(signIn.LocationDetails);
    const ip = this.strings.intern(signIn.IPAddress);
    this.kinds.push(kind === 'failure' ? 1 : 0);
    this.upns.push(this.strings.intern(signIn.UserPrincipalName));
    this.tables.push(this.strings.intern(signIn.Type));
    this.ips.push(ip);
    this.locations.push(this.strings.intern(location));
    this.resultTypes.push(this.strings.intern(signIn.ResultType));
    this.descriptions.push(this.strings.intern(failureText(signIn)));
    this.apps.push(this.strings.intern(signIn.AppDisplayName));
    this.userAgents.push(this.strings.intern(signIn.UserAgent));
    this.browsers.push(this.strings.intern(kqlToString(getProperty(signIn.DeviceDetail, 'browser'))));
    this.systems.push(this.strings.intern(kqlToString(getProperty(signIn.DeviceDetail, 'operatingSystem'))));
    this.ids.push(signIn.Id || signIn.OriginalRequestId);
    this.correlationIds.push(signIn.CorrelationId);
    this.files.push(this.strings.intern(signIn.Source.file));
    this.positions.push(signIn.Source.line > 0 ? signIn.Source.line : -signIn.Source.index);

    pushTo(this.byUser, signIn.UserPrincipalName.toLowerCase(), index);
    pushTo(this.byIp, ip, index);
    this.addCoordinates(signIn.LocationDetails, location);
  }

  private addCoordinates(locationDetails: Dynamic, location = locationString(locationDetails)): void {
    if (this.coordinates.has(location)) return;
    const point = readCoordinates(locationDetails);
    if (point !== null) this.coordinates.set(location, point);
  }

  get(index: number): CollectedSignIn {
    const text = this.strings.values;
    const position = this.positions[index];
    const file = text[this.files[index]];
    return {
      index,
      kind: this.kinds[index] === 1 ? 'failure' : 'success',
      time: this.times[index],
      upn: text[this.upns[index]],
      table: text[this.tables[index]],
      ip: text[this.ips[index]],
      location: text[this.locations[index]],
      locationCounts: true,
      resultType: text[this.resultTypes[index]],
      resultDescription: text[this.descriptions[index]],
      app: text[this.apps[index]],
      userAgent: text[this.userAgents[index]],
      browser: text[this.browsers[index]],
      operatingSystem: text[this.systems[index]],
      id: this.ids[index],
      correlationId: this.correlationIds[index],
      file,
      position,
      source: position > 0 ? `${file}:${position}` : `${file} record ${-position}`,
    };
  }

  /** Returns the kept sign-ins of a user, matched ignoring case, in the order they were read. */
  ofUser(upn: string): readonly number[] {
    return this.byUser.get(upn.toLowerCase()) ?? [];
  }

  /** Returns the kept sign-ins from an IP address, in the order they were read. */
  fromIp(ip: string): readonly number[] {
    const key = this.strings.indexOf(ip);
    return key === undefined ? [] : (this.byIp.get(key) ?? []);
  }

  isFailure(index: number): boolean {
    return this.kinds[index] === 1;
  }

  timeOf(index: number): Ticks {
    return this.times[index];
  }

  upnOf(index: number): string {
    return this.strings.values[this.upns[index]];
  }
}

function pushTo<K>(map: Map<K, number[]>, key: K, index: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [index]);
  else list.push(index);
}

/** Returns Status.failureReason when present (it distinguishes the two meanings of 50053), else ResultDescription. */
function failureText(signIn: SignIn): string {
  const reason = kqlToString(getProperty(signIn.Status, 'failureReason'));
  return reason.length > 0 ? reason : signIn.ResultDescription;
}

/** Reads LocationDetails.geoCoordinates; returns null when either value is missing or out of range. */
export function readCoordinates(locationDetails: Dynamic): [number, number] | null {
  const geo = getProperty(locationDetails, 'geoCoordinates');
  const latitude = toNumber(getProperty(geo, 'latitude'));
  const longitude = toNumber(getProperty(geo, 'longitude'));
  if (latitude === null || longitude === null) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  // 0,0 is what some exports write for "unknown"; no sign-in comes from the Gulf of Guinea's null island.
  if (latitude === 0 && longitude === 0) return null;
  return [latitude, longitude];
}

function toNumber(value: Dynamic): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim().length > 0) {
    const number = Number(value);
    return Number.isFinite(number) ? number : null;
  }
  return null;
}
