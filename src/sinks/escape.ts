/**
 * Escaping for text that came from sign-in logs. Every field of a log (UPN typed at a login page, user agent,
 * app name) is attacker-controlled, so it is escaped wherever it is printed or exported.
 */

// C0 controls, DEL, C1 controls, bidirectional controls that can reorder what a terminal shows, and zero-width
// characters that make two different UPNs look alike.
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

// Control characters other than tab, CR and LF (which CSV quoting carries), DEL, C1 and bidi controls.
const CSV_UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function escapeControls(text: string): string {
  return text.replace(CSV_UNSAFE, (character) => {
    const code = character.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** Makes text safe to print on a terminal: control and bidi characters become visible \xNN or \u{NNNN} escapes. */
export function escapeTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (character) => {
    const code = character.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

// Characters JSON.stringify leaves raw that a terminal may act on: DEL, C1 controls (U+009B is CSI), bidi
// controls, and the line and paragraph separators.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * Serialises a value as JSON with the characters a terminal could act on written as \uXXXX escapes. The
 * value read back is unchanged, because any character may be escaped that way in JSON.
 */
export function safeJsonStringify(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Quotes a CSV cell (RFC 4180), writes control and bidi characters as visible \xNN or \u{NNNN} escapes, and
 * defuses spreadsheet formulas: a cell that starts with =, +, -, @, tab or carriage return gets a leading
 * apostrophe, so that Excel and LibreOffice show it as text.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);

  let text = escapeControls(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  if (/[",\r\n]/.test(text) || text !== value) return `"${text.replace(/"/g, '""')}"`;
  return text;
}
