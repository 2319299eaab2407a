import type { RuleConfig } from '../rule/config.js';
import type { Detector } from './detector.js';
import { ScheduledParityDetector, type ScheduledSnapshot } from './scheduled.js';
import { SlidingParityDetector, type SlidingSnapshot } from './sliding.js';

export type { Detector } from './detector.js';
export type { ParityAlert } from './alert.js';

/** Builds the detector that runs `rule`. */
export function createDetector(rule: RuleConfig): Detector {
  if (rule.mode !== 'parity') throw new Error(`mode "${rule.mode}" is not implemented yet; use --mode parity`);
  return rule.window.kind === 'scheduled' ? new ScheduledParityDetector(rule) : new SlidingParityDetector(rule);
}

/** Rebuilds the detector for `rule` from a snapshot taken with `Detector.snapshot()`. */
export function restoreDetector(rule: RuleConfig, snapshot: unknown): Detector {
  const kind = (snapshot as { kind?: unknown } | null)?.kind;
  if (rule.mode === 'parity' && rule.window.kind === 'scheduled' && kind === 'scheduled-parity') {
    return ScheduledParityDetector.restore(rule, snapshot as ScheduledSnapshot);
  }
  if (rule.mode === 'parity' && rule.window.kind === 'sliding' && kind === 'sliding-parity') {
    return SlidingParityDetector.restore(rule, snapshot as SlidingSnapshot);
  }
  throw new Error(`snapshot of kind "${String(kind)}" does not match the ${rule.mode} ${rule.window.kind} detector`);
}
