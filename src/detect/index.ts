import type { RuleConfig } from '../rule/config.js';
import type { Detector } from './detector.js';
import { ImprovedDetector, type ImprovedDetectorOptions } from './improved/detector.js';
import { ScheduledParityDetector } from './scheduled.js';
import { SlidingParityDetector } from './sliding.js';

export type { Alert, Detector } from './detector.js';
export type { ParityAlert } from './alert.js';

/** Builds the detector that runs `rule`. */
export function createDetector(rule: RuleConfig, options: ImprovedDetectorOptions = {}): Detector {
  if (rule.mode === 'improved') return new ImprovedDetector(rule, options);
  return rule.window.kind === 'scheduled' ? new ScheduledParityDetector(rule) : new SlidingParityDetector(rule);
}
