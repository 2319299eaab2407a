import type { RecordSource } from '../../core/signin.js';
import { mapGraphSignIn } from './graph.js';
import type { MapContext, MapResult } from './result.js';
import { isFlattenedObjectText } from './values.js';

/**
 * Sign-ins from the Microsoft Graph PowerShell SDK (`Get-MgAuditLogSignIn`, `Get-MgBetaAuditLogSignIn`)
 * written with `ConvertTo-Json` or `Export-Csv`: the Graph signIn object with PascalCase keys
 * (`CreatedDateTime`, `Status.ErrorCode`, `Location.CountryOrRegion`, `IPAddress`), and an
 * `AdditionalProperties` object at each level holding the camelCase properties the SDK does not model.
 * `Export-Csv` writes each nested object as its .NET type name, so those fields arrive corrupted.
 */

type Record_ = Record<string, unknown>;

/** SDK property names that do not turn into the Graph name by lowering the first letter. */
const RENAMED: Record<string, string> = { IPAddress: 'ipAddress', IpAddress: 'ipAddress', Id: 'id' };

function camelName(key: string): string {
  return RENAMED[key] ?? key.charAt(0).toLowerCase() + key.slice(1);
}

/** Copies an SDK object with camelCase keys, folding in its AdditionalProperties; nested objects one level down. */
function toGraphShape(value: Record_, depth: number): Record_ {
  const result: Record_ = {};
  for (const key of Object.keys(value)) {
    if (key === 'AdditionalProperties') continue;
    const item = value[key];
    result[camelName(key)] =
      depth > 0 && typeof item === 'object' && item !== null && !Array.isArray(item) ? toGraphShape(item as Record_, depth - 1) : item;
  }

  // AdditionalProperties hold what the SDK's model lacks (e.g. signInEventTypes on v1.0); the modelled value wins.
  const additional = value.AdditionalProperties;
  if (typeof additional === 'object' && additional !== null && !Array.isArray(additional)) {
    for (const [key, item] of Object.entries(additional as Record_)) {
      if (!(key in result)) result[key] = item;
    }
  }
  return result;
}

/** Maps one SDK sign-in through the Graph mapping, after renaming its keys. */
export function mapGraphPowerShellSignIn(record: Record_, source: RecordSource, context: MapContext): MapResult {
  return mapGraphSignIn(toGraphShape(record, 1), source, context);
}

/**
 * Tells whether an object looks like an SDK sign-in: PascalCase `CreatedDateTime` and a nested `Status` or
 * `Location` (an object, or the type name Export-Csv wrote), and none of the Log Analytics columns.
 */
export function looksLikeGraphPowerShellSignIn(record: Record_): boolean {
  if (!('CreatedDateTime' in record) || 'TimeGenerated' in record || 'ResultType' in record || 'OperationName' in record) return false;
  const status = record.Status;
  return (typeof status === 'object' && status !== null) || isFlattenedObjectText(status) || 'AdditionalProperties' in record || 'SignInEventTypes' in record;
}
