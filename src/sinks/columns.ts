import { escapeTerminal } from './escape.js';

/** Escapes text for the terminal and pads or cuts it to `width` columns; a cut value ends in an ellipsis. */
export function fit(text: string, width: number): string {
  const safe = escapeTerminal(text);
  if (safe.length <= width) return safe.padEnd(width);
  return safe.slice(0, width - 1) + '…';
}

/** Right-aligns text (a number) in `width` columns; longer text is kept whole. */
export function fitRight(text: string, width: number): string {
  return text.length >= width ? text : text.padStart(width);
}
