import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import type { FileStats, ScanTotals } from '../../pipeline/stats.js';
import type { RuleConfig } from '../../rule/config.js';
import type { AlertSummary } from './alert-source.js';
import { buildReport } from './build.js';
import type { SignInCollector } from './collect.js';
import { WorldMap } from './geo.js';
import { renderReport } from './render.js';

export { fromImprovedAlert, fromParityAlert, toAlertSummary, type AlertSummary } from './alert-source.js';
export { SignInCollector, DEFAULT_COLLECT_LIMITS, type CollectLimits } from './collect.js';

export interface ReportRequest {
  readonly files: readonly FileStats[];
  readonly totals: ScanTotals;
  readonly rule: RuleConfig;
  readonly alerts: readonly AlertSummary[];
  readonly collector: SignInCollector;
  /** Fixes the "generated at" time, for reproducible output. */
  readonly generatedAt?: Date;
}

function toolVersion(): string {
  // package.json sits four levels above dist/src/sinks/report/.
  const require = createRequire(import.meta.url);
  return (require('../../../../package.json') as { version: string }).version;
}

/** Builds the self-contained HTML report of a finished scan. */
export function formatReport(request: ReportRequest): string {
  const map = new WorldMap();
  const data = buildReport({ ...request, map, toolVersion: toolVersion(), generatedAt: request.generatedAt ?? new Date() });
  return renderReport(data, map);
}

/** Writes the self-contained HTML report of a finished scan to `file`. */
export async function writeReport(file: string, request: ReportRequest): Promise<void> {
  await writeFile(file, formatReport(request));
}
