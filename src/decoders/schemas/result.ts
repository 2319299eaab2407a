import type { SignIn } from '../../core/signin.js';
import type { TimeParseOptions } from '../../core/time.js';

/**
 * Stable codes for records that were read but could not be used. Reports and tests match on these codes;
 * the message carries the detail.
 */
export type SkipReason =
  | 'invalid-json'
  | 'too-deep'
  | 'invalid-csv'
  | 'record-too-large'
  | 'not-a-record'
  | 'unrecognized-layout'
  | 'missing-timestamp'
  | 'invalid-timestamp'
  | 'unknown-table'
  | 'other-category';

export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  'invalid-json': 'invalid JSON',
  'too-deep': 'JSON nested too deeply to be a sign-in',
  'invalid-csv': 'invalid CSV row',
  'record-too-large': 'record larger than --max-record-size',
  'not-a-record': 'value is not a sign-in object',
  'unrecognized-layout': 'fields match no known sign-in layout',
  'missing-timestamp': 'no TimeGenerated (or proxy) value',
  'invalid-timestamp': 'timestamp could not be read',
  'unknown-table': 'table (interactive or non-interactive) cannot be told',
  'other-category': 'sign-in category the rule does not read',
};

/** Result of mapping one raw record: a sign-in, or a skip with its reason and a message for the user. */
export type MapResult =
  | { readonly ok: true; readonly signIn: SignIn; readonly warnings?: readonly string[] }
  | { readonly ok: false; readonly reason: SkipReason; readonly message: string; readonly detail?: string };

export function skip(reason: SkipReason, message: string, detail?: string): MapResult {
  return { ok: false, reason, message, detail };
}

/** Options every record mapper receives besides the record. */
export interface MapContext {
  readonly time: TimeParseOptions;
  /** Table to assume when a record does not say (from --table or the file name); null if unknown. */
  readonly tableHint: string | null;
}
