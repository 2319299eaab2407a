import type { SignIn } from '../core/signin.js';
import type { RuleConfig } from '../rule/config.js';

/** Why a record did not count as a failure for the rule. */
export type FilterOutcome = 'counted' | 'other-table' | 'other-operation' | 'other-result';

/** Compares two strings ignoring ASCII case only, as Kusto's `=~` is documented for ASCII text. */
export function equalsIgnoringAsciiCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;

  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

/** Applies the rule's table, OperationName and ResultType filters to one record. */
export function classifyRecord(signIn: SignIn, rule: RuleConfig): FilterOutcome {
  if (!rule.tables.includes(signIn.Type)) return 'other-table';
  if (!equalsIgnoringAsciiCase(signIn.OperationName, rule.operationName)) return 'other-operation';
  if (!rule.resultTypes.has(signIn.ResultType)) return 'other-result';
  return 'counted';
}
