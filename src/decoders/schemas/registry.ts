import type { RecordSource } from '../../core/signin.js';
import type { SchemaName } from '../layouts.js';
import { looksLikeDiagnosticRecord, mapDiagnosticRecord } from './diagnostic.js';
import { looksLikeEntraDownloadRow, mapEntraDownloadRow } from './entra-download.js';
import { looksLikeGraphPowerShellSignIn, mapGraphPowerShellSignIn } from './graph-powershell.js';
import { looksLikeGraphSignIn, mapGraphSignIn } from './graph.js';
import { looksLikeLogAnalyticsRow, mapLogAnalyticsRow } from './log-analytics.js';
import type { MapContext, MapResult } from './result.js';

type Record_ = Record<string, unknown>;

/** A record layout: how to recognise one of its records and how to map it onto a SignIn. */
export interface RecordSchema {
  readonly name: SchemaName;
  looksLike(record: Record_): boolean;
  map(record: Record_, source: RecordSource, context: MapContext): MapResult;
}

/**
 * Record layouts in detection order. The order matters where fields overlap: a diagnostic record's
 * `properties` hold a Graph object, and SDK output has `CreatedDateTime` and `UserPrincipalName` like a
 * Log Analytics row, so the narrower tests run first.
 */
export const RECORD_SCHEMAS: readonly RecordSchema[] = [
  { name: 'diagnostic', looksLike: looksLikeDiagnosticRecord, map: (record, source, context) => mapDiagnosticRecord(record, source, context.time) },
  { name: 'graph', looksLike: looksLikeGraphSignIn, map: mapGraphSignIn },
  { name: 'graph-powershell', looksLike: looksLikeGraphPowerShellSignIn, map: mapGraphPowerShellSignIn },
  { name: 'log-analytics', looksLike: looksLikeLogAnalyticsRow, map: mapLogAnalyticsRow },
  // The download's JSON variant contains Graph objects, so a forced --format entra-download reads those as Graph.
  {
    name: 'entra-download',
    looksLike: looksLikeEntraDownloadRow,
    map: (record, source, context) => (looksLikeGraphSignIn(record) ? mapGraphSignIn(record, source, context) : mapEntraDownloadRow(record, source, context)),
  },
];

const BY_NAME = new Map(RECORD_SCHEMAS.map((schema) => [schema.name, schema]));

/** Returns the schema of a layout name. */
export function schemaNamed(name: SchemaName): RecordSchema {
  const schema = BY_NAME.get(name);
  if (schema === undefined) throw new Error(`no record schema named "${name}"`);
  return schema;
}

/** Returns the first schema whose fields the record has, or null. */
export function detectSchema(record: Record_): RecordSchema | null {
  for (const schema of RECORD_SCHEMAS) {
    if (schema.looksLike(record)) return schema;
  }
  return null;
}
