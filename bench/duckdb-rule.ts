/**
 * The Sentinel rule as DuckDB SQL, as an engineer without crackwatch would run it over an export: one
 * query over the file with an explicit column list, on every core. Writes one alert per line
 * (UserPrincipalName, Type, day, SigninCount, LocationCount) so the benchmark can compare alerts.
 *
 * The rule's default schedule (every day, looking back one day, first run at 00:00 UTC of the earliest
 * event's day) makes each run's window one UTC day, so the SQL groups by the date part of TimeGenerated.
 * `OperationName =~ "Sign-in activity"` becomes lower() equality, which matches for ASCII text.
 *
 * Usage: node dist/bench/duckdb-rule.js la|diagnostic|array OUTPUT FILE... (several files are read as one input)
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { SENTINEL_RULE } from '../src/rule/sentinel-rule.js';

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const LOCATION = "STRUCT(countryOrRegion VARCHAR, state VARCHAR, city VARCHAR)";

/** Returns the FROM clause for a layout, with the rule's columns under their Log Analytics names. */
function source(files: readonly string[], layout: string): string {
  const path = files.length === 1 ? quote(files[0]) : `[${files.map(quote).join(', ')}]`;
  switch (layout) {
    case 'la':
    case 'array': {
      const reader = layout === 'la' ? `read_ndjson(${path}, ` : `read_json(${path}, format = 'array', `;
      return (
        `(SELECT TimeGenerated, OperationName, ResultType, UserPrincipalName, Type, LocationDetails FROM ${reader}` +
        `columns = {TimeGenerated: 'VARCHAR', OperationName: 'VARCHAR', ResultType: 'VARCHAR', UserPrincipalName: 'VARCHAR', ` +
        `Type: 'VARCHAR', LocationDetails: '${LOCATION}'}))`
      );
    }
    case 'diagnostic':
      return (
        `(SELECT "time" AS TimeGenerated, operationName AS OperationName, resultType AS ResultType, ` +
        `properties.userPrincipalName AS UserPrincipalName, ` +
        `CASE category WHEN 'SignInLogs' THEN 'SigninLogs' WHEN 'NonInteractiveUserSignInLogs' THEN 'AADNonInteractiveUserSignInLogs' END AS Type, ` +
        `properties.location AS LocationDetails FROM read_ndjson(${path}, columns = {"time": 'VARCHAR', category: 'VARCHAR', ` +
        `operationName: 'VARCHAR', resultType: 'VARCHAR', properties: 'STRUCT(userPrincipalName VARCHAR, location ${LOCATION})'}))`
      );
    default:
      throw new Error(`unknown layout "${layout}"; use la, diagnostic or array`);
  }
}

export function ruleSql(files: readonly string[], layout: string): string {
  const codes = SENTINEL_RULE.resultTypes.map(quote).join(', ');
  const tables = SENTINEL_RULE.tables.map(quote).join(', ');
  return `
    WITH failures AS (
      SELECT UserPrincipalName, Type, substr(TimeGenerated, 1, 10) AS day,
             coalesce(LocationDetails.countryOrRegion, '') || '/' || coalesce(LocationDetails.state, '') || '/' ||
             coalesce(LocationDetails.city, '') AS location
      FROM ${source(files, layout)}
      WHERE Type IN (${tables}) AND lower(OperationName) = lower(${quote(SENTINEL_RULE.operationName)}) AND ResultType IN (${codes})
    )
    SELECT UserPrincipalName, Type, day, count(*) AS SigninCount, count(DISTINCT location) AS LocationCount
    FROM failures
    GROUP BY UserPrincipalName, Type, day
    HAVING count(*) > ${SENTINEL_RULE.failureThreshold} AND count(DISTINCT location) >= ${SENTINEL_RULE.locationThreshold}
    ORDER BY UserPrincipalName, Type, day`;
}

const [layout, output, ...files] = process.argv.slice(2);
if (layout === undefined || output === undefined || files.length === 0) {
  process.stderr.write('usage: duckdb-rule la|diagnostic|array OUTPUT FILE...\n');
  process.exit(2);
}

const instance = await DuckDBInstance.create(':memory:', { threads: String(availableParallelism()) });
const connection = await instance.connect();
const reader = await connection.runAndReadAll(ruleSql(files, layout));
const rows = reader.getRowObjectsJson();
writeFileSync(output, rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length > 0 ? '\n' : ''));
connection.closeSync();
