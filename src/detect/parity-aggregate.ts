import { getProperty, kqlToString, type Dynamic } from '../core/kql.js';
import type { SignIn } from '../core/signin.js';
import type { Ticks } from '../core/time.js';
import type { SetColumn } from '../rule/sentinel-rule.js';
import { FirstSet, type FirstSetState } from './first-set.js';

/** The values one counted failure contributes to the rule's summarize step. */
export interface ParityFields {
  readonly time: Ticks;
  /** strcat(tostring(countryOrRegion), "/", tostring(state), "/", tostring(city)); "//" when there is no location. */
  readonly location: string;
  readonly ipAddress: string;
  readonly appDisplayName: string;
  readonly resultDescription: string;
  /** DeviceDetail.browser as a dynamic value; null (skipped by make_set) when absent. */
  readonly browser: Dynamic;
  readonly os: Dynamic;
}

/** Computes the rule's LocationString for a LocationDetails value. */
export function locationString(locationDetails: Dynamic): string {
  return (
    kqlToString(getProperty(locationDetails, 'countryOrRegion')) +
    '/' +
    kqlToString(getProperty(locationDetails, 'state')) +
    '/' +
    kqlToString(getProperty(locationDetails, 'city'))
  );
}

export function parityFields(signIn: SignIn): ParityFields {
  return {
    time: signIn.TimeGenerated,
    location: locationString(signIn.LocationDetails),
    ipAddress: signIn.IPAddress,
    appDisplayName: signIn.AppDisplayName,
    resultDescription: signIn.ResultDescription,
    browser: getProperty(signIn.DeviceDetail, 'browser'),
    os: getProperty(signIn.DeviceDetail, 'operatingSystem'),
  };
}

/** A ParityAggregate as plain JSON, for checkpoints. */
export interface ParityAggregateState {
  count: number;
  start: string;
  end: string;
  locations: string[];
  ipAddresses: string[];
  sets: Record<SetColumn, FirstSetState>;
}

/**
 * The rule's summarize aggregates for one group: count(), min/max(TimeGenerated), exact dcount of
 * LocationString and IPAddress, and the six make_set lists. Aggregates merge, so a window can be built
 * from the slots it covers, and the result never depends on the order rows were added in.
 */
export class ParityAggregate {
  count = 0;
  start: Ticks = 0n;
  end: Ticks = 0n;
  readonly locations = new Set<string>();
  readonly ipAddresses = new Set<string>();
  readonly sets: Record<SetColumn, FirstSet>;

  constructor(readonly caps: Readonly<Record<SetColumn, number>>) {
    this.sets = {
      Location: new FirstSet(caps.Location),
      IPAddress: new FirstSet(caps.IPAddress),
      AppDisplayName: new FirstSet(caps.AppDisplayName),
      ResultDescription: new FirstSet(caps.ResultDescription),
      Browser: new FirstSet(caps.Browser),
      OS: new FirstSet(caps.OS),
    };
  }

  add(fields: ParityFields): void {
    const time = fields.time;
    if (this.count === 0 || time < this.start) this.start = time;
    if (this.count === 0 || time > this.end) this.end = time;
    this.count++;

    this.locations.add(fields.location);
    this.ipAddresses.add(fields.ipAddress);
    this.sets.Location.addString(fields.location, time);
    this.sets.IPAddress.addString(fields.ipAddress, time);
    this.sets.AppDisplayName.addString(fields.appDisplayName, time);
    this.sets.ResultDescription.addString(fields.resultDescription, time);
    this.sets.Browser.add(fields.browser, time);
    this.sets.OS.add(fields.os, time);
  }

  mergeFrom(other: ParityAggregate): void {
    if (other.count === 0) return;
    if (this.count === 0 || other.start < this.start) this.start = other.start;
    if (this.count === 0 || other.end > this.end) this.end = other.end;
    this.count += other.count;

    for (const location of other.locations) this.locations.add(location);
    for (const ipAddress of other.ipAddresses) this.ipAddresses.add(ipAddress);
    for (const column of Object.keys(this.sets) as SetColumn[]) this.sets[column].mergeFrom(other.sets[column]);
  }

  toState(): ParityAggregateState {
    const sets = {} as Record<SetColumn, FirstSetState>;
    for (const column of Object.keys(this.sets) as SetColumn[]) sets[column] = this.sets[column].toState();
    return {
      count: this.count,
      start: this.start.toString(),
      end: this.end.toString(),
      locations: [...this.locations],
      ipAddresses: [...this.ipAddresses],
      sets,
    };
  }

  static fromState(caps: Readonly<Record<SetColumn, number>>, state: ParityAggregateState): ParityAggregate {
    const aggregate = new ParityAggregate(caps);
    aggregate.count = state.count;
    aggregate.start = BigInt(state.start);
    aggregate.end = BigInt(state.end);
    for (const location of state.locations) aggregate.locations.add(location);
    for (const ipAddress of state.ipAddresses) aggregate.ipAddresses.add(ipAddress);
    for (const column of Object.keys(aggregate.sets) as SetColumn[]) {
      (aggregate.sets as Record<SetColumn, FirstSet>)[column] = FirstSet.fromState(caps[column], state.sets[column]);
    }
    return aggregate;
  }
}
