/** The layouts `--format` can force; `auto` detects per file (framing) and per record (fields). */
export const LAYOUTS = [
  'auto',
  'log-analytics',
  'log-analytics-csv',
  'diagnostic',
  'graph',
  'graph-powershell',
  'entra-download',
] as const;
export type LayoutName = (typeof LAYOUTS)[number];

/** Human names of record layouts, as reports show them. */
export const SCHEMA_TEXT = {
  'log-analytics': 'Log Analytics rows',
  diagnostic: 'Azure Monitor diagnostic-settings records',
  graph: 'Microsoft Graph signIn objects',
  'graph-powershell': 'Microsoft Graph PowerShell SDK sign-ins',
  'entra-download': 'Entra admin center download rows',
} as const;
export type SchemaName = keyof typeof SCHEMA_TEXT;

/** How records are laid out in the file. */
export type Framing = 'json-lines' | 'json' | 'csv' | 'empty';

export const FRAMING_TEXT: Record<Framing, string> = {
  'json-lines': 'JSON lines',
  json: 'JSON',
  csv: 'CSV',
  empty: 'empty',
};
