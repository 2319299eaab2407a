import { getProperty, isPropertyBag, type Dynamic } from '../../core/kql.js';
import { emptySignIn, NON_INTERACTIVE_SIGNIN_LOGS, SIGNIN_LOGS, type RecordSource } from '../../core/signin.js';
import { parseOptionalTimestamp, parseTimestamp, TimestampError, type TimeParseOptions } from '../../core/time.js';
import { skip, type MapResult } from './result.js';
import { boolColumn, dynamicColumn, isFlattenedObjectText, stringColumn } from './values.js';

/**
 * Diagnostic-settings categories and the Log Analytics table each lands in. Only the first two feed the
 * rule; records of the others are counted and skipped.
 */
export const DIAGNOSTIC_CATEGORY_TABLES: Record<string, string> = {
  SignInLogs: SIGNIN_LOGS,
  NonInteractiveUserSignInLogs: NON_INTERACTIVE_SIGNIN_LOGS,
  ServicePrincipalSignInLogs: 'AADServicePrincipalSignInLogs',
  ManagedIdentitySignInLogs: 'AADManagedIdentitySignInLogs',
  MicrosoftServicePrincipalSignInLogs: 'AADMicrosoftServicePrincipalSignInLogs',
  ADFSSignInLogs: 'ADFSSignInLogs',
};

type Record_ = Record<string, unknown>;

function nested(properties: Dynamic, key: string, name: string, corrupted: string[]): Dynamic {
  const value = getProperty(properties, key);
  if (isFlattenedObjectText(value)) corrupted.push(name);
  return dynamicColumn(value);
}

/**
 * Maps one Azure Monitor diagnostic-settings record (storage PT1H.json line or Event Hubs batch element)
 * of category SignInLogs or NonInteractiveUserSignInLogs to a SignIn. TimeGenerated is the envelope's
 * `time`, which is what Log Analytics stores as TimeGenerated for these records.
 */
export function mapDiagnosticRecord(record: Record_, source: RecordSource, time: TimeParseOptions): MapResult {
  const category = stringColumn(record.category);
  // Without a category the record is no diagnostic-settings record at all (e.g. --format diagnostic forced
  // on Log Analytics rows): counting it as another category would hide that nothing was read.
  if (category.length === 0) {
    return skip('unrecognized-layout', 'record has no "category", so it is not a diagnostic-settings record; check --format');
  }
  const table = DIAGNOSTIC_CATEGORY_TABLES[category];
  if (table !== SIGNIN_LOGS && table !== NON_INTERACTIVE_SIGNIN_LOGS) {
    return skip('other-category', `category "${category}" is not read by the rule`, category || '(none)');
  }

  const timeValue = record.time;
  if (typeof timeValue !== 'string' || timeValue.length === 0) {
    return skip('missing-timestamp', 'diagnostic record has no "time" value');
  }

  const signIn = emptySignIn(source);
  try {
    signIn.TimeGenerated = parseTimestamp(timeValue, time);
  } catch (error) {
    if (error instanceof TimestampError) return skip('invalid-timestamp', error.message);
    throw error;
  }

  const properties = dynamicColumn(record.properties);
  signIn.CreatedDateTime = parseOptionalTimestamp(getProperty(properties, 'createdDateTime'), time);
  const status = getProperty(properties, 'status');
  const corrupted: string[] = [];

  signIn.Type = table;
  signIn.OperationName = stringColumn(record.operationName);
  signIn.ResultType = record.resultType !== undefined ? stringColumn(record.resultType) : stringColumn(getProperty(status, 'errorCode'));
  signIn.ResultDescription =
    record.resultDescription !== undefined
      ? stringColumn(record.resultDescription)
      : stringColumn(getProperty(status, 'failureReason'));
  signIn.UserPrincipalName = stringColumn(getProperty(properties, 'userPrincipalName'));
  const ipAddress = getProperty(properties, 'ipAddress');
  signIn.IPAddress = stringColumn(ipAddress ?? record.callerIpAddress);
  signIn.AppDisplayName = stringColumn(getProperty(properties, 'appDisplayName'));
  signIn.LocationDetails = nested(properties, 'location', 'LocationDetails', corrupted);
  signIn.DeviceDetail = nested(properties, 'deviceDetail', 'DeviceDetail', corrupted);
  signIn.Status = nested(properties, 'status', 'Status', corrupted);
  signIn.Id = stringColumn(getProperty(properties, 'id'));
  signIn.OriginalRequestId = stringColumn(getProperty(properties, 'originalRequestId'));
  signIn.CorrelationId = stringColumn(getProperty(properties, 'correlationId') ?? record.correlationId);
  signIn.UserAgent = stringColumn(getProperty(properties, 'userAgent'));
  signIn.UserId = stringColumn(getProperty(properties, 'userId'));
  signIn.IsInteractive = boolColumn(getProperty(properties, 'isInteractive'));
  if (!isPropertyBag(properties)) corrupted.push('properties');
  if (corrupted.length > 0) signIn.CorruptedFields = corrupted;

  return { ok: true, signIn };
}

/** Tells whether an object looks like a diagnostic-settings sign-in record. */
export function looksLikeDiagnosticRecord(record: Record_): boolean {
  return 'category' in record && ('properties' in record || 'operationName' in record) && 'time' in record;
}
