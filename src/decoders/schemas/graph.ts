import { getProperty, isPropertyBag, type Dynamic } from '../../core/kql.js';
import { emptySignIn, NON_INTERACTIVE_SIGNIN_LOGS, SIGNIN_LOGS, type RecordSource } from '../../core/signin.js';
import { parseTimestamp, TimestampError } from '../../core/time.js';
import { DIAGNOSTIC_CATEGORY_TABLES } from './diagnostic.js';
import { skip, type MapContext, type MapResult } from './result.js';
import { boolColumn, dynamicColumn, isFlattenedObjectText, stringColumn } from './values.js';

/**
 * Microsoft Graph `signIn` objects (`/auditLogs/signIns`, v1.0 and beta), as the API, the Entra admin center's
 * JSON download, Microsoft-Extractor-Suite and CISA's Untitled Goose Tool write them. They have camelCase keys
 * and nested `status`, `location` and `deviceDetail` objects, but none of the columns the rule filters on.
 */

/** The operation name Log Analytics gives every sign-in; Graph objects are all sign-ins, so they all get it. */
export const SIGN_IN_OPERATION = 'Sign-in activity';

/** `signInEventTypes` values and the table (or, for the two the rule does not read, the category) they land in. */
const EVENT_TYPE_TABLES: Record<string, string> = {
  interactiveUser: SIGNIN_LOGS,
  nonInteractiveUser: NON_INTERACTIVE_SIGNIN_LOGS,
  servicePrincipal: 'AADServicePrincipalSignInLogs',
  managedIdentity: 'AADManagedIdentitySignInLogs',
};

/** Diagnostic category of each table, so skipped records are counted under one name whatever their layout. */
const TABLE_CATEGORIES: Record<string, string> = Object.fromEntries(
  Object.entries(DIAGNOSTIC_CATEGORY_TABLES).map(([category, table]) => [table, category]),
);

type Record_ = Record<string, unknown>;

/**
 * Decides the table, trying in turn: `signInEventTypes`, a file name of a service-principal or managed-identity
 * download, an application's sign-in (no UPN but a servicePrincipalName), `isInteractive`, and the file name.
 * Returns null when none of them tells.
 */
function tableOf(record: Record_, hint: string | null): string | null {
  const eventTypes = record.signInEventTypes;
  if (Array.isArray(eventTypes)) {
    // A user sign-in lists one user type; interactive wins if a record ever lists both, as the portal does.
    for (const type of ['interactiveUser', 'nonInteractiveUser', 'servicePrincipal', 'managedIdentity']) {
      if (eventTypes.includes(type)) return EVENT_TYPE_TABLES[type];
    }
  }
  if (hint !== null && hint !== SIGNIN_LOGS && hint !== NON_INTERACTIVE_SIGNIN_LOGS) return hint;

  // v1.0 objects have no signInEventTypes, and application sign-ins carry isInteractive: false like
  // non-interactive user sign-ins. NOTE: a managed identity's sign-in looks the same and is counted as a
  // service principal's.
  const upn = record.userPrincipalName;
  const servicePrincipal = record.servicePrincipalName;
  if ((upn === undefined || upn === null || upn === '') && typeof servicePrincipal === 'string' && servicePrincipal.length > 0) {
    return EVENT_TYPE_TABLES.servicePrincipal;
  }

  const interactive = boolColumn(record.isInteractive);
  if (interactive !== null) return interactive ? SIGNIN_LOGS : NON_INTERACTIVE_SIGNIN_LOGS;
  return hint;
}

function nested(record: Record_, key: string, name: string, corrupted: string[]): Dynamic {
  const value = record[key];
  if (isFlattenedObjectText(value)) {
    corrupted.push(name);
    return null;
  }
  return dynamicColumn(value);
}

/**
 * Maps one Graph signIn object to a SignIn. Graph has no TimeGenerated, OperationName, ResultType or Type, so:
 * TimeGenerated is `createdDateTime` (the sign-in time, a little before Log Analytics would stamp it),
 * OperationName is "Sign-in activity", ResultType is `String(status.errorCode)`, ResultDescription is
 * `status.failureReason`, and Type comes from `signInEventTypes` or `isInteractive`.
 */
export function mapGraphSignIn(record: Record_, source: RecordSource, context: MapContext): MapResult {
  const table = tableOf(record, context.tableHint);
  if (table === null) {
    return skip(
      'unknown-table',
      'sign-in has no signInEventTypes or isInteractive; pass --table, or keep the download\'s InteractiveSignIns_/NonInteractiveSignIns_ file name',
    );
  }
  if (table !== SIGNIN_LOGS && table !== NON_INTERACTIVE_SIGNIN_LOGS) {
    const category = TABLE_CATEGORIES[table] ?? table;
    return skip('other-category', `category "${category}" is not read by the rule`, category);
  }

  const timeValue = record.createdDateTime;
  if (timeValue === undefined || timeValue === null || timeValue === '') {
    return skip('missing-timestamp', 'sign-in has no "createdDateTime" value');
  }
  if (typeof timeValue !== 'string') {
    return skip('invalid-timestamp', `createdDateTime is a ${typeof timeValue}, expected ISO 8601 text`);
  }

  const signIn = emptySignIn(source);
  try {
    signIn.TimeGenerated = parseTimestamp(timeValue, context.time);
    signIn.CreatedDateTime = signIn.TimeGenerated;
  } catch (error) {
    if (error instanceof TimestampError) return skip('invalid-timestamp', error.message);
    throw error;
  }

  const corrupted: string[] = [];
  const status = nested(record, 'status', 'Status', corrupted);
  signIn.Type = table;
  signIn.OperationName = SIGN_IN_OPERATION;
  signIn.ResultType = stringColumn(getProperty(status, 'errorCode'));
  signIn.ResultDescription = stringColumn(getProperty(status, 'failureReason'));
  signIn.UserPrincipalName = stringColumn(record.userPrincipalName);
  signIn.IPAddress = stringColumn(record.ipAddress);
  signIn.AppDisplayName = stringColumn(record.appDisplayName);
  signIn.LocationDetails = nested(record, 'location', 'LocationDetails', corrupted);
  signIn.DeviceDetail = nested(record, 'deviceDetail', 'DeviceDetail', corrupted);
  signIn.Status = status;
  signIn.Id = stringColumn(record.id);
  signIn.OriginalRequestId = stringColumn(record.originalRequestId);
  signIn.CorrelationId = stringColumn(record.correlationId);
  signIn.UserAgent = stringColumn(record.userAgent);
  signIn.UserId = stringColumn(record.userId);
  signIn.IsInteractive = boolColumn(record.isInteractive) ?? table === SIGNIN_LOGS;
  if (status !== null && !isPropertyBag(status) && !corrupted.includes('Status')) corrupted.push('Status');
  if (corrupted.length > 0) signIn.CorruptedFields = corrupted;

  return { ok: true, signIn };
}

/** Tells whether an object looks like a Graph signIn: camelCase `createdDateTime` plus a user or result field. */
export function looksLikeGraphSignIn(record: Record_): boolean {
  return 'createdDateTime' in record && ('userPrincipalName' in record || 'status' in record || 'signInEventTypes' in record);
}
