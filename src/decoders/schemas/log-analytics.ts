import { type Dynamic } from '../../core/kql.js';
import { emptySignIn, NON_INTERACTIVE_SIGNIN_LOGS, SIGNIN_LOGS, type RecordSource } from '../../core/signin.js';
import { parseOptionalTimestamp, parseTimestamp, TimestampError, type TimeParseOptions } from '../../core/time.js';
import { skip, type MapResult } from './result.js';
import { boolColumn, dynamicColumn, isFlattenedObjectText, stringColumn } from './values.js';

/** Log Analytics `Category` values of the two tables the rule reads. */
const CATEGORY_TABLES: Record<string, string> = {
  SignInLogs: SIGNIN_LOGS,
  NonInteractiveUserSignInLogs: NON_INTERACTIVE_SIGNIN_LOGS,
};

export interface LogAnalyticsContext {
  readonly time: TimeParseOptions;
  /** Table to assume when a row carries no Type, Category or IsInteractive (e.g. from the file name); null if unknown. */
  readonly tableHint: string | null;
}

type Row = Record<string, unknown>;

/**
 * Returns a column's value, looking also at the `_dynamic` / `_string` pair that a union of the two tables
 * leaves in an export (only one of the pair is filled per row).
 */
function column(row: Row, name: string): unknown {
  const value = row[name];
  if (value !== undefined && value !== '') return value;

  const dynamicValue = row[`${name}_dynamic`];
  if (dynamicValue !== undefined && dynamicValue !== '' && dynamicValue !== null) return dynamicValue;
  const stringValue = row[`${name}_string`];
  if (stringValue !== undefined && stringValue !== '' && stringValue !== null) return stringValue;
  return value;
}

function jsonColumn(row: Row, name: string, corrupted: string[]): Dynamic {
  const value = column(row, name);
  if (isFlattenedObjectText(value)) {
    corrupted.push(name);
    return dynamicColumn(value);
  }
  return dynamicColumn(value);
}

/** Decides the table of a row: Type, else Category, else IsInteractive, else the file's hint. */
function tableOf(row: Row, hint: string | null): string | null {
  const type = row.Type;
  if (typeof type === 'string' && type.length > 0) return type;

  const category = row.Category;
  if (typeof category === 'string' && CATEGORY_TABLES[category] !== undefined) return CATEGORY_TABLES[category];

  const interactive = boolColumn(row.IsInteractive);
  if (interactive !== null) return interactive ? SIGNIN_LOGS : NON_INTERACTIVE_SIGNIN_LOGS;
  return hint;
}

/**
 * Maps one row of SigninLogs or AADNonInteractiveUserSignInLogs (JSON object, query-API row or CSV row,
 * with CSV headers already stripped of their " [UTC]" suffix) to a SignIn.
 */
export function mapLogAnalyticsRow(row: Row, source: RecordSource, context: LogAnalyticsContext): MapResult {
  const warnings: string[] = [];

  let timeValue = row.TimeGenerated;
  if (timeValue === undefined || timeValue === '' || timeValue === null) {
    timeValue = row.CreatedDateTime;
    if (timeValue === undefined || timeValue === '' || timeValue === null) {
      return skip('missing-timestamp', 'row has neither TimeGenerated nor CreatedDateTime');
    }
    warnings.push('no-time-generated');
  }
  if (typeof timeValue !== 'string') {
    return skip('invalid-timestamp', `TimeGenerated is a ${typeof timeValue}, expected ISO 8601 text`);
  }

  const table = tableOf(row, context.tableHint);
  if (table === null) {
    return skip('unknown-table', 'row has no Type, Category or IsInteractive column; pass --table to say which table the file holds');
  }

  const signIn = emptySignIn(source);
  try {
    signIn.TimeGenerated = parseTimestamp(timeValue, context.time);
    signIn.CreatedDateTime = parseOptionalTimestamp(row.CreatedDateTime, context.time);
  } catch (error) {
    if (error instanceof TimestampError) return skip('invalid-timestamp', error.message);
    throw error;
  }

  const corrupted: string[] = [];
  signIn.Type = table;
  signIn.OperationName = stringColumn(row.OperationName);
  signIn.ResultType = stringColumn(row.ResultType);
  signIn.ResultDescription = stringColumn(row.ResultDescription);
  signIn.UserPrincipalName = stringColumn(row.UserPrincipalName);
  signIn.IPAddress = stringColumn(row.IPAddress);
  signIn.AppDisplayName = stringColumn(row.AppDisplayName);
  signIn.LocationDetails = jsonColumn(row, 'LocationDetails', corrupted);
  signIn.DeviceDetail = jsonColumn(row, 'DeviceDetail', corrupted);
  signIn.Status = jsonColumn(row, 'Status', corrupted);
  signIn.Id = stringColumn(row.Id);
  signIn.OriginalRequestId = stringColumn(row.OriginalRequestId);
  signIn.CorrelationId = stringColumn(row.CorrelationId);
  signIn.UserAgent = stringColumn(row.UserAgent);
  signIn.UserId = stringColumn(row.UserId);
  signIn.IsInteractive = boolColumn(row.IsInteractive);
  if (corrupted.length > 0) signIn.CorruptedFields = corrupted;

  return warnings.length > 0 ? { ok: true, signIn, warnings } : { ok: true, signIn };
}

/** Tells whether an object looks like a Log Analytics row (PascalCase table columns). */
export function looksLikeLogAnalyticsRow(row: Row): boolean {
  return (
    ('TimeGenerated' in row || 'CreatedDateTime' in row) &&
    ('UserPrincipalName' in row || 'ResultType' in row || 'OperationName' in row)
  );
}
