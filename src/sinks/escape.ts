/**
 * Escaping for text that came from sign-in logs. Every field of a log (UPN typed at a login page, user agent,
 * app name) is attacker-controlled, so it is escaped wherever it is printed or exported.
 */

// C0 controls, DEL, C1 controls, and the bidirectional overrides and isolates that can reorder what a terminal shows.
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Makes text safe to print on a terminal: control and bidi characters become visible \xNN or \u{NNNN} escapes. */
export function escapeTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (character) => {
    const code = character.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/**
 * Quotes a CSV cell (RFC 4180) and defuses spreadsheet formulas: a cell that starts with =, +, -, @, tab or
 * carriage return gets a leading apostrophe, so that Excel and LibreOffice show it as text.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);

  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  if (/[",\r\n]/.test(text) || text !== value) return `"${text.replace(/"/g, '""')}"`;
  return text;
}
