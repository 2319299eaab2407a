/**
 * Records carried as JSON text inside another object, as log relays and SIEM test fixtures write them:
 * `{"message":"{\"time\":...}"}` or `{"input":{"message":"..."}}`. The carried text is parsed and detected
 * like any other record.
 */

type Record_ = Record<string, unknown>;

/** Returns the JSON text of a carried record, or null when the object carries none. */
export function relayedRecordText(record: Record_): string | null {
  let message = record.message;
  if (message === undefined) {
    const input = record.input;
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) message = (input as Record_).message;
  }
  if (typeof message !== 'string') return null;

  const text = message.trimStart();
  return text.startsWith('{') ? text : null;
}
