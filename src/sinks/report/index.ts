import { toolVersion } from '../../core/version.js';
import { access, constants, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
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

/** Builds the self-contained HTML report of a finished scan. */
export function formatReport(request: ReportRequest): string {
  const map = new WorldMap();
  const data = buildReport({ ...request, map, toolVersion: toolVersion(), generatedAt: request.generatedAt ?? new Date() });
  return renderReport(data, map);
}

/**
 * Checks before a scan that the report's folder exists and is writable, so a long scan does not end in a
 * failed write. Returns the problem in words, or null.
 */
export async function checkReportTarget(file: string): Promise<string | null> {
  const folder = dirname(resolve(file));
  try {
    await access(folder, constants.W_OK);
    return null;
  } catch (error) {
    return `cannot write --report ${file}: folder ${folder} ${describeAccessError(error)}; create it or choose another path`;
  }
}

/** Writes the self-contained HTML report of a finished scan to `file`; throws an Error naming the file on failure. */
export async function writeReport(file: string, request: ReportRequest): Promise<void> {
  const html = formatReport(request);
  try {
    await writeFile(file, html);
  } catch (error) {
    throw new Error(`writing the report to ${file} failed: ${(error as NodeJS.ErrnoException).message}`, { cause: error });
  }
}

function describeAccessError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'is not writable';
  return `cannot be used (${(error as Error).message})`;
}
