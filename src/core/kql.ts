/**
 * The few Kusto (KQL) scalar semantics the Sentinel rule relies on, implemented exactly.
 * Sources: the KQL reference pages for parse_json(), tostring(), strcat(), split() and make_set().
 */

/** A Kusto `dynamic` value as JSON carries it. */
export type Dynamic = null | boolean | number | string | Dynamic[] | { [key: string]: Dynamic };

export function isPropertyBag(value: Dynamic | undefined): value is { [key: string]: Dynamic } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Applies `todynamic()` (alias of `parse_json()`): a non-string is returned as is, "" becomes null, a string
 * holding well-formed JSON is parsed, and any other string stays a dynamic string.
 */
export function toDynamic(value: unknown): Dynamic {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return value as Dynamic;
  if (value.length === 0) return null;

  try {
    return JSON.parse(value) as Dynamic;
  } catch {
    return value;
  }
}

/** Applies `tostring()`: null is "", a string is its characters, numbers and booleans their text, arrays and bags compact JSON. */
export function kqlToString(value: Dynamic | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Applies a dynamic property access `bag.key`: null unless `bag` is a property bag holding `key` (case-sensitive). */
export function getProperty(bag: Dynamic | undefined, key: string): Dynamic {
  if (!isPropertyBag(bag)) return null;

  const value = bag[key];
  return value === undefined ? null : value;
}

/**
 * Computes the rule's `Name` and `UPNSuffix`: `tostring(split(UPN,'@',0)[0])` and `tostring(split(UPN,'@',1)[0])`.
 * "a@b@c.com" gives "a" and "b"; a UPN without '@' gives itself and "".
 */
export function splitUpn(upn: string): { Name: string; UPNSuffix: string } {
  const parts = upn.split('@');
  return { Name: parts[0], UPNSuffix: parts.length > 1 ? parts[1] : '' };
}

/**
 * Returns the text of `tostring(make_set(...))`: compact JSON. JSON.stringify escapes `"`, `\`, the short
 * escapes \b \f \n \r \t and other C0 characters as \u00XX, and leaves non-ASCII raw, which is the
 * documented round-trip form.
 */
export function setToJsonText(values: readonly Dynamic[]): string {
  return JSON.stringify(values);
}

/** Key that makes make_set distinct by type and value: the string "1" and the number 1 are different elements. */
export function dynamicSetKey(value: Dynamic): string {
  if (typeof value === 'string') return 's' + value;
  if (typeof value === 'number') return 'n' + String(value);
  if (typeof value === 'boolean') return value ? 'b1' : 'b0';
  return 'j' + JSON.stringify(value);
}
