import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveRuleConfig } from '../rule/config.js';
import { createDetector } from './index.js';

describe('relevantResultTypes', () => {
  it('returns the codes for daily scheduled runs', () => {
    const detector = createDetector(resolveRuleConfig({ mode: 'parity' }));
    assert.deepEqual(detector.relevantResultTypes?.(), new Set(['50126', '50053', '50055', '50056']));
  });

  it('returns the codes when the frequency divides a day', () => {
    const detector = createDetector(resolveRuleConfig({ mode: 'parity', frequency: '6h', codes: '50126' }));
    assert.deepEqual(detector.relevantResultTypes?.(), new Set(['50126']));
  });

  it('returns null when every record can move the runs', () => {
    // Without --start, runs every 5 hours start at midnight of the earliest record's day, whatever its code.
    const detector = createDetector(resolveRuleConfig({ mode: 'parity', frequency: '5h' }));
    assert.equal(detector.relevantResultTypes?.(), null);
  });

  it('returns the codes when --start fixes the runs', () => {
    const detector = createDetector(resolveRuleConfig({ mode: 'parity', frequency: '5h', start: '2026-10-01T00:00:00Z' }));
    assert.deepEqual(detector.relevantResultTypes?.(), new Set(['50126', '50053', '50055', '50056']));
  });

  it('returns the codes for sliding windows', () => {
    const detector = createDetector(resolveRuleConfig({ mode: 'parity', window: 'sliding' }));
    assert.deepEqual(detector.relevantResultTypes?.(), new Set(['50126', '50053', '50055', '50056']));
  });
});
