import { UsageError } from './exit.js';

const UNIT_EXPONENTS: Record<string, number> = { b: 0, k: 1, m: 2, g: 3 };

/** Parses a size such as 16MB, 256k or 1024 (bytes) into bytes, in powers of 1024; `option` names the flag in errors. */
export function parseByteSize(option: string, text: string, example: string): number {
  const match = /^(\d+)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(text.trim());
  if (match === null) throw new UsageError(`invalid ${option}: "${text}" is not a size such as ${example}`);

  const unit = (match[2] ?? 'b').toLowerCase()[0];
  return Number(match[1]) * 1024 ** UNIT_EXPONENTS[unit];
}
