import { toDynamic, type Dynamic } from '../../core/kql.js';

/**
 * Reads a value into a Log Analytics `string` column: missing or null is "", numbers and booleans become
 * their text, objects and arrays compact JSON.
 */
export function stringColumn(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Reads a value into a `bool` column: true/false in any case, "1"/"0"; anything else is null. */
export function boolColumn(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 0 ? false : value === 1 ? true : null;
  if (typeof value !== 'string') return null;

  const text = value.trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return null;
}

/**
 * Text that PowerShell or JavaScript wrote in place of a nested object, so the object's content is lost:
 * "[object Object]", "System.Collections.Hashtable", "@{city=...}" and .NET type names.
 */
const FLATTENED_OBJECT = /^(\[object Object\]|System\.[\w.`[\]]+|Microsoft\.[\w.]+Models?\.[\w.]+|@\{.*\})$/s;

export function isFlattenedObjectText(value: unknown): boolean {
  return typeof value === 'string' && FLATTENED_OBJECT.test(value.trim());
}

/** Reads a JSON column (object, or JSON text as in CSV and the non-interactive table) with todynamic(). */
export function dynamicColumn(value: unknown): Dynamic {
  return toDynamic(value);
}

/**
 * Tells whether a value nests arrays or objects more than `limit` levels deep. The recursion stops at `limit`,
 * so its own depth is bounded, and it allocates nothing because it runs on every record.
 */
export function exceedsDepth(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit <= 0) return true;

  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (exceedsDepth(value[i], limit - 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    if (exceedsDepth((value as Record<string, unknown>)[key], limit - 1)) return true;
  }
  return false;
}
