import type { Dynamic } from './kql.js';
import type { Ticks } from './time.js';

/** The two Log Analytics tables the Sentinel rule reads. */
export const SIGNIN_LOGS = 'SigninLogs';
export const NON_INTERACTIVE_SIGNIN_LOGS = 'AADNonInteractiveUserSignInLogs';
export const RULE_TABLES = [SIGNIN_LOGS, NON_INTERACTIVE_SIGNIN_LOGS] as const;

/** Position of a record in its input, so an analyst can go back to the source. */
export interface RecordSource {
  /** Path as the user gave it, or "-" for standard input; an archive member is "archive.zip!member.json". */
  readonly file: string;
  /** 1-based line on which the record starts, or 0 when the layout has no lines. */
  readonly line: number;
  /** 1-based position of the record in its file. */
  readonly index: number;
}

/**
 * One sign-in in crackwatch's canonical form, whatever layout it was read from. Field names and value
 * types are those of the Log Analytics tables, because that is what the Sentinel rule queries:
 * strings are never null (missing is ""), and the JSON columns hold the result of `todynamic()`.
 */
export interface SignIn {
  /** Log Analytics TimeGenerated in 100-ns ticks; layouts without it use the closest proxy (see README). */
  TimeGenerated: Ticks;
  /**
   * When the sign-in happened (CreatedDateTime), or null when the layout does not carry it. Log Analytics
   * stamps TimeGenerated when the record arrives, usually minutes and sometimes hours later.
   */
  CreatedDateTime: Ticks | null;
  /** Table name: "SigninLogs" or "AADNonInteractiveUserSignInLogs" (or whatever another layout maps to). */
  Type: string;
  OperationName: string;
  /** Error code as decimal text, "0" for success (a number in Graph and Status.errorCode is converted). */
  ResultType: string;
  ResultDescription: string;
  UserPrincipalName: string;
  IPAddress: string;
  AppDisplayName: string;
  /** LocationDetails after todynamic(): normally a bag with countryOrRegion, state and city. */
  LocationDetails: Dynamic;
  /** DeviceDetail after todynamic(): normally a bag with browser and operatingSystem. */
  DeviceDetail: Dynamic;
  /** Status after todynamic(): normally a bag with errorCode, failureReason and additionalDetails. */
  Status: Dynamic;
  /** Sign-in request id (Graph `id`). */
  Id: string;
  OriginalRequestId: string;
  CorrelationId: string;
  UserAgent: string;
  UserId: string;
  IsInteractive: boolean | null;
  /** Names of fields whose nested object arrived flattened into text (e.g. "[object Object]"). */
  CorruptedFields: readonly string[] | null;
  Source: RecordSource;
}

/** Returns when the sign-in happened: CreatedDateTime where the layout carries it, else TimeGenerated. */
export function eventTime(signIn: SignIn): Ticks {
  return signIn.CreatedDateTime ?? signIn.TimeGenerated;
}

/** Builds a SignIn with every string field empty, for decoders to fill in. */
export function emptySignIn(source: RecordSource): SignIn {
  return {
    TimeGenerated: 0n,
    CreatedDateTime: null,
    Type: '',
    OperationName: '',
    ResultType: '',
    ResultDescription: '',
    UserPrincipalName: '',
    IPAddress: '',
    AppDisplayName: '',
    LocationDetails: null,
    DeviceDetail: null,
    Status: null,
    Id: '',
    OriginalRequestId: '',
    CorrelationId: '',
    UserAgent: '',
    UserId: '',
    IsInteractive: null,
    CorruptedFields: null,
    Source: source,
  };
}
