import { getProperty, kqlToString, type Dynamic } from '../../core/kql.js';
import type { SignIn } from '../../core/signin.js';
import type { Ticks } from '../../core/time.js';
import type { FailureKind, LocationGranularity, SourceRef } from './alert.js';

/** One row read for an attempt: what the parity rule would have counted, and where it was read. */
export interface AttemptRow {
  readonly time: Ticks;
  readonly type: string;
  /** UPN exactly as the row spells it. */
  readonly userPrincipalName: string;
  /** The parity rule's LocationString ("country/state/city", "//" when empty). */
  readonly locationString: string;
  readonly source: SourceRef;
}

/**
 * The fields of a sign-in that an alert and its evidence show. Held instead of the whole SignIn, whose
 * nested LocationDetails, DeviceDetail and Status bags would multiply the memory each attempt takes.
 */
export interface AttemptFields {
  readonly Id: string;
  readonly OriginalRequestId: string;
  readonly CorrelationId: string;
  readonly Type: string;
  readonly UserPrincipalName: string;
  readonly ResultType: string;
  readonly ResultDescription: string;
  readonly IPAddress: string;
  readonly AppDisplayName: string;
  readonly UserAgent: string;
  /** DeviceDetail.browser and .operatingSystem as dynamic values (null when absent, as make_set skips them). */
  readonly browser: Dynamic;
  readonly os: Dynamic;
}

export function attemptFields(signIn: SignIn): AttemptFields {
  return {
    Id: signIn.Id,
    OriginalRequestId: signIn.OriginalRequestId,
    CorrelationId: signIn.CorrelationId,
    Type: signIn.Type,
    UserPrincipalName: signIn.UserPrincipalName,
    ResultType: signIn.ResultType,
    ResultDescription: signIn.ResultDescription,
    IPAddress: signIn.IPAddress,
    AppDisplayName: signIn.AppDisplayName,
    UserAgent: signIn.UserAgent,
    browser: getProperty(signIn.DeviceDetail, 'browser'),
    os: getProperty(signIn.DeviceDetail, 'operatingSystem'),
  };
}

/** A counted failure after de-duplication: one sign-in attempt, described by its earliest row. */
export interface Attempt {
  readonly key: string;
  /** When the sign-in happened (CreatedDateTime, else TimeGenerated). */
  time: Ticks;
  /** TimeGenerated of the earliest row. */
  timeGenerated: Ticks;
  fields: AttemptFields;
  /** The attempt's location at the configured granularity; null when empty or partial. */
  location: string | null;
  /** "country/state/city" as the rule builds it, shown for unknown locations. */
  locationString: string;
  country: string;
  coordinates: { Latitude: number; Longitude: number } | null;
  kind: FailureKind;
  readonly rows: AttemptRow[];
}

/** Case-folds a UPN. Entra ID compares UPNs case-insensitively, so "Harry.Potter@x" and "harry.potter@x" are one user. */
export function foldUpn(upn: string): string {
  return upn.toLowerCase();
}

/**
 * Returns the key that identifies one sign-in attempt. Id is the request id, and OriginalRequestId replaces
 * it where Id is missing. Rows with neither fall back to their content, so exact repeats still collapse.
 * CorrelationId is never a key on its own: one session shares it across many attempts.
 */
export function attemptKey(signIn: SignIn): string {
  if (signIn.Id !== '') return 'id:' + signIn.Id;
  if (signIn.OriginalRequestId !== '') return 'id:' + signIn.OriginalRequestId;
  return JSON.stringify([signIn.TimeGenerated.toString(), foldUpn(signIn.UserPrincipalName), signIn.IPAddress, signIn.ResultType, signIn.CorrelationId, signIn.Type]);
}

/** Splits LocationDetails into the rule's three parts, each as tostring() gives it. */
export function locationParts(locationDetails: Dynamic): { country: string; state: string; city: string } {
  return {
    country: kqlToString(getProperty(locationDetails, 'countryOrRegion')),
    state: kqlToString(getProperty(locationDetails, 'state')),
    city: kqlToString(getProperty(locationDetails, 'city')),
  };
}

/**
 * Returns the location at `granularity`, or null when the data is empty or partial: country needs a
 * country, state a country and a state, city a country and a city. The state stays part of a city's key
 * but may be empty, because Entra ID leaves it empty for some places (e.g. "FR//Paris").
 */
export function locationKey(locationDetails: Dynamic, granularity: LocationGranularity): string | null {
  const { country, state, city } = locationParts(locationDetails);
  if (country === '') return null;

  switch (granularity) {
    case 'country':
      return country;
    case 'state':
      return state === '' ? null : `${country}/${state}`;
    case 'city':
      return city === '' ? null : `${country}/${state}/${city}`;
  }
}

/** Reads LocationDetails.geoCoordinates; null when missing, not numeric, or 0/0 (what Entra ID writes for an unknown place). */
export function coordinatesOf(locationDetails: Dynamic): { Latitude: number; Longitude: number } | null {
  const coordinates = getProperty(locationDetails, 'geoCoordinates');
  const latitude = getProperty(coordinates, 'latitude');
  const longitude = getProperty(coordinates, 'longitude');
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return null;
  if (latitude === 0 && longitude === 0) return null;
  return { Latitude: latitude, Longitude: longitude };
}

const LOCKOUT = /lock/i;
const MALICIOUS_IP = /malicious/i;

/**
 * Classifies a counted failure. For 50053 the failure reason decides: Entra ID writes "Account is locked
 * because user tried to sign in too many times..." for a lockout and a reason naming malicious activity for
 * a blocked IP address.
 */
export function failureKind(signIn: SignIn): FailureKind {
  switch (signIn.ResultType) {
    case '50126':
      return 'invalid-credentials';
    case '50055':
      return 'password-expired';
    case '50056':
      return 'no-password';
    case '50053': {
      const reason = [signIn.ResultDescription, kqlToString(getProperty(signIn.Status, 'failureReason')), kqlToString(getProperty(signIn.Status, 'additionalDetails'))].join('\n');
      if (MALICIOUS_IP.test(reason)) return 'malicious-ip';
      if (LOCKOUT.test(reason)) return 'account-locked';
      return 'locked-or-blocked';
    }
    default:
      return 'other';
  }
}

export function sourceRef(signIn: SignIn): SourceRef {
  return { File: signIn.Source.file, Line: signIn.Source.line, Index: signIn.Source.index };
}

/** Orders rows and attempts the same whatever order they were read in: by time, then file, then record index. */
export function compareRows(a: AttemptRow, b: AttemptRow): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  if (a.source.File !== b.source.File) return a.source.File < b.source.File ? -1 : 1;
  return a.source.Index - b.source.Index;
}

export function compareAttempts(a: Attempt, b: Attempt): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  if (a.key === b.key) return 0;
  return a.key < b.key ? -1 : 1;
}
