import type { RuleConfig } from '../rule/config.js';
import type { Detector } from './detector.js';
import { ScheduledParityDetector } from './scheduled.js';
import { SlidingParityDetector } from './sliding.js';

export type { Detector } from './detector.js';
export type { ParityAlert } from './alert.js';

/** Builds the detector that runs `rule`. */
export function createDetector(rule: RuleConfig): Detector {
  if (rule.mode !== 'parity') throw new Error(`mode "${rule.mode}" is not implemented yet; use --mode parity`);
  return rule.window.kind === 'scheduled' ? new ScheduledParityDetector(rule) : new SlidingParityDetector(rule);
}
