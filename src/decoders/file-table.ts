import { NON_INTERACTIVE_SIGNIN_LOGS, SIGNIN_LOGS } from '../core/signin.js';

/**
 * File-name prefixes of the Entra admin center's downloads and the table each holds. Its CSV rows carry no
 * table column, so the name is the only place the table is written. Microsoft-Extractor-Suite names its files
 * after the `signInEventTypes` filter it used ("...-nonInteractiveUser-SignInLogs.json").
 */
const NAME_TABLES: readonly [RegExp, string][] = [
  [/(^|[^a-z])NonInteractiveSignIns_/i, NON_INTERACTIVE_SIGNIN_LOGS],
  [/(^|[^a-z])InteractiveSignIns_/i, SIGNIN_LOGS],
  [/(^|[^a-z])ApplicationSignIns_/i, 'AADServicePrincipalSignInLogs'],
  [/(^|[^a-z])MSISignIns_/i, 'AADManagedIdentitySignInLogs'],
  [/-nonInteractiveUser-/i, NON_INTERACTIVE_SIGNIN_LOGS],
  [/-interactiveUser-/i, SIGNIN_LOGS],
];

/** Returns the table a file's name says it holds, or null. Only the last path part (or archive member) counts. */
export function tableFromFileName(file: string): string | null {
  const base = file.split(/[\\/!]/).at(-1) ?? file;
  for (const [pattern, table] of NAME_TABLES) {
    if (pattern.test(base)) return table;
  }
  return null;
}
