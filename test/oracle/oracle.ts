/**
 * Runs the SQL version of the Sentinel rule in an embedded DuckDB and the crackwatch engine over the
 * same Log Analytics JSON-lines files, and returns both alert lists in one comparable shape.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { Dynamic } from '../../src/core/kql.js';
import { createDetector } from '../../src/detect/index.js';
import { runScan } from '../../src/pipeline/scan.js';
import type { RuleConfig } from '../../src/rule/config.js';
import { loadSql, ruleSql, type OracleRule } from './parity-sql.js';

/** An alert reduced to what both implementations must agree on; lists keep their order. */
export interface ComparableAlert {
  UserPrincipalName: string;
  Type: string;
  WindowStart: bigint;
  WindowEnd: bigint;
  FirstTriggeredAt: bigint | null;
  StartTime: bigint;
  EndTime: bigint;
  SigninCount: number;
  LocationCount: number;
  IPAddressCount: number;
  Location: string[];
  IPAddress: string[];
  AppDisplayName: string[];
  ResultDescription: string[];
  Browser: Dynamic[];
  OS: Dynamic[];
}

export function oracleRuleOf(rule: RuleConfig): OracleRule {
  return {
    window: rule.window.kind,
    codes: [...rule.resultTypes],
    failureThreshold: rule.failureThreshold,
    locationThreshold: rule.locationThreshold,
    period: rule.window.period,
    frequency: rule.window.kind === 'scheduled' ? rule.window.frequency : rule.window.period,
    caps: rule.setCaps,
  };
}

function compareKeys(a: ComparableAlert, b: ComparableAlert): number {
  if (a.Type !== b.Type) return a.Type < b.Type ? -1 : 1;
  if (a.UserPrincipalName !== b.UserPrincipalName) return a.UserPrincipalName < b.UserPrincipalName ? -1 : 1;
  if (a.WindowStart < b.WindowStart) return -1;
  if (a.WindowStart > b.WindowStart) return 1;
  return 0;
}

/** Runs the SQL rule over `files` with DuckDB. */
export async function runOracle(files: readonly string[], rule: OracleRule): Promise<ComparableAlert[]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    await connection.run(loadSql(files));
    const reader = await connection.runAndReadAll(ruleSql(rule));
    const alerts = reader.getRowObjectsJS().map((row): ComparableAlert => ({
      UserPrincipalName: row.UserPrincipalName as string,
      Type: row.Type as string,
      WindowStart: row.WindowStart as bigint,
      WindowEnd: row.WindowEnd as bigint,
      FirstTriggeredAt: row.FirstTriggeredAt as bigint | null,
      StartTime: row.StartTime as bigint,
      EndTime: row.EndTime as bigint,
      SigninCount: Number(row.SigninCount),
      LocationCount: Number(row.LocationCount),
      IPAddressCount: Number(row.IPAddressCount),
      Location: row.Location as string[],
      IPAddress: row.IPAddress as string[],
      AppDisplayName: row.AppDisplayName as string[],
      ResultDescription: row.ResultDescription as string[],
      Browser: (row.Browser as string[]).map((text) => JSON.parse(text) as Dynamic),
      OS: (row.OS as string[]).map((text) => JSON.parse(text) as Dynamic),
    }));
    return alerts.sort(compareKeys);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Runs crackwatch's own engine over `files`. */
export async function runCrackwatch(files: readonly string[], rule: RuleConfig): Promise<ComparableAlert[]> {
  const result = await runScan(
    files.map((path) => ({ kind: 'file', path }) as const),
    createDetector(rule),
    { layout: 'log-analytics', time: { assumedOffsetMinutes: null, slashDateOrder: null }, maxRecordBytes: 64 * 1024 * 1024, tableHint: null },
  );
  const skipped = result.files.reduce((sum, file) => sum + [...file.skipped.values()].reduce((a, b) => a + b, 0), 0);
  if (skipped !== 0) throw new Error(`crackwatch skipped ${skipped} record(s) of the generated files`);
  return result.alerts
    .map((alert): ComparableAlert => ({
      UserPrincipalName: alert.UserPrincipalName,
      Type: alert.Type,
      WindowStart: alert.WindowStart,
      WindowEnd: alert.WindowEnd,
      FirstTriggeredAt: alert.FirstTriggeredAt,
      StartTime: alert.StartTime,
      EndTime: alert.EndTime,
      SigninCount: alert.SigninCount,
      LocationCount: alert.LocationCount,
      IPAddressCount: alert.IPAddressCount,
      Location: alert.Location,
      IPAddress: alert.IPAddress,
      AppDisplayName: alert.AppDisplayName,
      ResultDescription: alert.ResultDescription,
      Browser: alert.Browser,
      OS: alert.OS,
    }))
    .sort(compareKeys);
}
