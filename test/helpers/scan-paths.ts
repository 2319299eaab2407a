import { DEFAULT_TIME_OPTIONS } from '../../src/core/time.js';
import type { LayoutName } from '../../src/decoders/layouts.js';
import { createDetector } from '../../src/detect/index.js';
import { runScan, type ScanOptions, type ScanResult } from '../../src/pipeline/scan.js';
import { resolveRuleConfig } from '../../src/rule/config.js';
import { formatNdjson } from '../../src/sinks/json.js';
import { resolveInputs } from '../../src/sources/inputs.js';

/** Scans paths with the default parity rule, as `crackwatch scan` would, and returns what was read. */
export async function scanPaths(paths: string[], options: Partial<ScanOptions> & { layout?: LayoutName } = {}): Promise<ScanResult> {
  const { inputs } = await resolveInputs(paths);
  return runScan(inputs, createDetector(resolveRuleConfig({ mode: 'parity' })), {
    layout: 'auto',
    time: DEFAULT_TIME_OPTIONS,
    maxRecordBytes: 16 * 1024 * 1024,
    tableHint: null,
    ...options,
  });
}

/** Returns alerts as the NDJSON lines `scan --output ndjson` prints. */
export function alertLines(result: ScanResult): string[] {
  return formatNdjson(result.alerts).split('\n').filter((line) => line.length > 0);
}
