import type { Dynamic } from '../../core/kql.js';
import type { Ticks } from '../../core/time.js';

/**
 * The improved mode's alert and its evidence. One generic shape serves both forms. `ImprovedAlert` carries
 * times as ticks (what the detector builds), and `ImprovedAlertRecord` carries them as ISO 8601 UTC text with
 * 7 fractional digits (what the JSON and NDJSON sinks write, via formatTicks). No list is cut in either.
 */

export type Severity = 'Medium' | 'High';

/** The parts of LocationDetails that make a location distinct. */
export type LocationGranularity = 'city' | 'state' | 'country';
export const LOCATION_GRANULARITIES: readonly LocationGranularity[] = ['city', 'state', 'country'];

/**
 * Meaning of a counted failure. ResultType 50053 carries two meanings, and its failure reason distinguishes
 * them: the account was locked after too many wrong passwords, or the request came from an IP address that
 * Entra ID lists as malicious.
 */
export type FailureKind =
  | 'invalid-credentials' // 50126
  | 'account-locked' // 50053, lockout
  | 'malicious-ip' // 50053, blocked address
  | 'locked-or-blocked' // 50053 whose reason names neither
  | 'password-expired' // 50055
  | 'no-password' // 50056
  | 'other'; // a code added with --codes

/** Position of a row in its input: the input's name, the 1-based line (0 when the layout has no lines) and record index. */
export interface SourceRef {
  File: string;
  Line: number;
  Index: number;
}

/** Sentinel entity: the rule's Account mapping, and one IP entity per attacking address. */
export type AlertEntity =
  | { Type: 'account'; FullName: string; Name: string; UPNSuffix: string }
  | { Type: 'ip'; Address: string };

export interface LocationEvidence<T> {
  /** The location at the alert's granularity ("US/Washington/Redmond", "US/Washington", "US"), or the raw
   * "country/state/city" text when `Known` is false. */
  Location: string;
  /** False for empty or partial location data, which adds no distinct location. */
  Known: boolean;
  /** LocationDetails.countryOrRegion (two-letter code), "" when missing. */
  Country: string;
  /** LocationDetails.geoCoordinates of the first failure that carried them; null when none did (0/0 counts as none). */
  Coordinates: { Latitude: number; Longitude: number } | null;
  Failures: number;
  IPAddress: string[];
  FirstSeen: T;
  LastSeen: T;
}

export interface IPAddressEvidence<T> {
  IPAddress: string;
  Failures: number;
  /** Locations this address failed from, in the same form as LocationEvidence.Location. */
  Location: string[];
  UserAgent: string[];
  FirstSeen: T;
  LastSeen: T;
}

export interface ResultTypeEvidence {
  ResultType: string;
  Kind: FailureKind;
  Failures: number;
}

/** One counted failure: a de-duplicated sign-in attempt, with every row that carried it. */
export interface FailureEvidence<T> {
  /** When Log Analytics received the row (for Graph and admin-center layouts, the sign-in time). */
  TimeGenerated: T;
  /** When the sign-in happened, which places it in windows: CreatedDateTime, or TimeGenerated where the layout lacks it. */
  CreatedDateTime: T;
  Id: string;
  OriginalRequestId: string;
  CorrelationId: string;
  /** Table of the first row read for the attempt. */
  Type: string;
  /** The UPN as the row spelled it (the alert's UserPrincipalName is case-folded). */
  UserPrincipalName: string;
  ResultType: string;
  Kind: FailureKind;
  IPAddress: string;
  Location: string;
  LocationKnown: boolean;
  UserAgent: string;
  /** Every row of this attempt, earliest first (by time, then file and record index); more than one means duplicates were collapsed. */
  Rows: SourceRef[];
}

/** A successful sign-in (ResultType 0) of the same user, from an attacking IP address or location, after the first counted failure. */
export interface SuccessEvidence<T> {
  TimeGenerated: T;
  Id: string;
  CorrelationId: string;
  Type: string;
  UserPrincipalName: string;
  IPAddress: string;
  Location: string;
  AppDisplayName: string;
  /** Attacking values the success shares. */
  MatchedOn: ('IPAddress' | 'Location')[];
  Source: SourceRef;
}

/** Another user (case-folded UPN) with counted failures from the alert's IP addresses inside its window. */
export interface OtherUserEvidence<T> {
  UserPrincipalName: string;
  Failures: number;
  /** The alert's addresses this user failed from. */
  IPAddress: string[];
  FirstSeen: T;
  LastSeen: T;
}

export interface ImprovedEvidence<T> {
  /** Known locations by failures (most first), then the unknown ones. */
  Locations: LocationEvidence<T>[];
  IPAddresses: IPAddressEvidence<T>[];
  ResultTypes: ResultTypeEvidence[];
  /** Every counted failure in time order. */
  Failures: FailureEvidence<T>[];
  LaterSuccess: SuccessEvidence<T> | null;
  OtherUsers: OtherUserEvidence<T>[];
}

/**
 * An improved-mode alert. The columns the Sentinel rule outputs keep their names and meaning, counted the
 * improved way; the columns after FirstTriggeredAt are added.
 */
export interface ImprovedAlertOf<T> {
  Mode: 'improved';
  /** Case-folded UPN (lower case); the spellings seen are in UserPrincipalNameVariants. */
  UserPrincipalName: string;
  /** Tables the failures came from, comma-separated, SigninLogs first. */
  Type: string;
  StartTime: T;
  EndTime: T;
  /** Distinct known locations at LocationGranularity. */
  LocationCount: number;
  Location: string[];
  IPAddress: string[];
  IPAddressCount: number;
  AppDisplayName: string[];
  ResultDescription: string[];
  Browser: Dynamic[];
  OS: Dynamic[];
  /** De-duplicated sign-in attempts. */
  SigninCount: number;
  Name: string;
  UPNSuffix: string;
  WindowStart: T;
  WindowEnd: T;
  /** When the thresholds first held (sliding windows); null for scheduled windows. */
  FirstTriggeredAt: T | null;
  /** Medium, or High when a later successful sign-in of the user shares an attacking IP address or location. */
  Severity: Severity;
  LocationGranularity: LocationGranularity;
  /** De-duplicated attempts per table. */
  SigninCountByTable: Record<string, number>;
  /** Rows collapsed into attempts already counted (SigninCount + DuplicateRowCount = rows read). */
  DuplicateRowCount: number;
  /** Counted attempts whose location is empty or partial at LocationGranularity. */
  UnknownLocationCount: number;
  UserPrincipalNameVariants: string[];
  Tactics: string[];
  Techniques: string[];
  Entities: AlertEntity[];
  Evidence: ImprovedEvidence<T>;
}

export type ImprovedAlert = ImprovedAlertOf<Ticks>;
/** The JSON form the sinks write: every time is ISO 8601 UTC with 7 fractional digits. */
export type ImprovedAlertRecord = ImprovedAlertOf<string>;

export function isImprovedAlert(alert: object): alert is ImprovedAlert {
  return (alert as { Mode?: unknown }).Mode === 'improved';
}
