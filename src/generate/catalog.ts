/**
 * The catalog of `crackwatch generate` as data: attack kinds, output layouts and default volumes. It is kept
 * apart from the generator so that the command line can list them without loading it.
 */

export const ATTACK_KINDS = [
  'distributed',
  'slow',
  'straddle',
  'spray',
  'success',
  'late',
  'case-split',
  'cross-table',
] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];

export type AttackCounts = Partial<Record<AttackKind, number>>;

/** Volume knobs, per user and working day; weekends and guests scale them down. */
export interface ActivityRates {
  readonly interactivePerDay: number;
  readonly nonInteractivePerDay: number;
  /** Share of records Entra writes twice (same Id and CreatedDateTime). */
  readonly duplicateShare: number;
}

export const DEFAULT_RATES: ActivityRates = { interactivePerDay: 5, nonInteractivePerDay: 45, duplicateShare: 0.02 };

export const DEFAULT_ATTACKS: AttackCounts = {
  distributed: 2,
  slow: 1,
  straddle: 1,
  spray: 1,
  success: 1,
  late: 1,
  'case-split': 1,
  'cross-table': 1,
};

export const OUTPUT_LAYOUTS = ['la-jsonl', 'la-json', 'la-query', 'la-csv', 'diagnostic', 'event-hubs', 'graph', 'entra-csv', 'entra-json'] as const;
export type OutputLayout = (typeof OUTPUT_LAYOUTS)[number];

export const OUTPUT_LAYOUT_TEXT: Record<OutputLayout, string> = {
  'la-jsonl': 'Log Analytics rows, one JSON object per line, one file per table',
  'la-json': 'Log Analytics rows as one JSON array per table',
  'la-query': 'Log Analytics query API response ({"tables":[{"columns","rows"}]}) per table',
  'la-csv': 'Log Analytics portal CSV export per table ("TimeGenerated [UTC]" header, M/D/YYYY, h:mm:ss.fff AM dates)',
  diagnostic: 'diagnostic-settings records as storage PT1H.json lines (CRLF), one file per category',
  'event-hubs': 'diagnostic-settings records in Event Hubs messages {"records":[...]}, one message per line',
  graph: 'Microsoft Graph API pages {"@odata.context","value":[...],"@odata.nextLink"}, up to 1,000 sign-ins each, newest first',
  'entra-csv': 'Entra admin center CSV download, InteractiveSignIns_<from>_<to>.csv and NonInteractiveSignIns_..., newest first',
  'entra-json': 'Entra admin center JSON download (one array of Graph objects), same file names, newest first',
};

/** Parses "distributed=2,spray=1" into counts; throws with the offending entry. */
export function parseAttackCounts(text: string): AttackCounts {
  const counts: AttackCounts = {};
  if (text.trim() === '' || text.trim() === 'none') return counts;
  for (const entry of text.split(',')) {
    const [name, value] = entry.split('=').map((part) => part.trim());
    if (!(ATTACK_KINDS as readonly string[]).includes(name)) {
      throw new Error(`unknown attack kind "${name}"; use one of: ${ATTACK_KINDS.join(', ')}`);
    }
    const count = value === undefined ? 1 : Number(value);
    if (!Number.isSafeInteger(count) || count < 0) throw new Error(`invalid count "${value}" for attack kind ${name}; use a whole number`);
    counts[name as AttackKind] = count;
  }
  return counts;
}
