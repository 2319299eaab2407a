/**
 * The Sentinel rule "Distributed Password cracking attempts in Microsoft Entra ID" (v1.0.5) written a
 * second time, as DuckDB SQL, from the rule's KQL semantics and not from crackwatch's engine:
 *
 * - load Log Analytics rows with their column types; TimeGenerated as 100-ns ticks;
 * - keep OperationName =~ "Sign-in activity" (ASCII case folding) and ResultType in the four codes
 *   (exact, case-sensitive);
 * - todynamic(): a JSON-text column is parsed, "" and invalid JSON give no property bag;
 * - LocationString = tostring(countryOrRegion) / tostring(state) / tostring(city), missing parts "";
 * - group by (UserPrincipalName, Type) with case-sensitive equality, per window (scheduled or
 *   sliding, see OracleRule.window);
 * - exact dcount; make_set keeps nulls out, keeps "", flattens arrays, and orders values by their
 *   first appearance in time, ties broken by ordinal value, truncated to the cap;
 * - alert when SigninCount > failure threshold and LocationCount >= location threshold.
 */

export interface OracleRule {
  /**
   * scheduled: runs every `frequency` from 00:00 UTC of the earliest event's day, each over [run - period, run).
   * sliding: every failure ends a window of the failures in (its time - period, its time]. Windows that pass
   * both thresholds and share a failure merge into one alert, which covers all failures from the first
   * window's start to the last window's end.
   */
  readonly window: 'scheduled' | 'sliding';
  readonly codes: readonly string[];
  readonly failureThreshold: number;
  readonly locationThreshold: number;
  /** Window length and run spacing, in 100-ns ticks. */
  readonly period: bigint;
  readonly frequency: bigint;
  readonly caps: {
    readonly Location: number;
    readonly IPAddress: number;
    readonly AppDisplayName: number;
    readonly ResultDescription: number;
    readonly Browser: number;
    readonly OS: number;
  };
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Statements that load the rows of `files` (Log Analytics JSON lines) into table `signins`. */
export function loadSql(files: readonly string[]): string {
  const list = `[${files.map(quote).join(', ')}]`;
  return `
CREATE OR REPLACE TABLE raw AS
SELECT * FROM read_ndjson(${list}, columns = {
  TimeGenerated: 'VARCHAR', Type: 'VARCHAR', OperationName: 'VARCHAR', ResultType: 'VARCHAR',
  ResultDescription: 'VARCHAR', UserPrincipalName: 'VARCHAR', IPAddress: 'VARCHAR', AppDisplayName: 'VARCHAR',
  LocationDetails: 'JSON', DeviceDetail: 'JSON'
}, maximum_object_size = 67108864);

-- todynamic(): a JSON string holding well-formed JSON is parsed; "" and invalid text carry no bag.
CREATE OR REPLACE MACRO to_dynamic(value) AS
  CASE
    WHEN value IS NULL THEN NULL
    WHEN json_type(value) = 'VARCHAR' THEN
      CASE WHEN json_valid(value ->> '$') THEN CAST(value ->> '$' AS JSON) ELSE NULL END
    ELSE value
  END;

-- tostring() of a dynamic property: null is "", a string its characters, anything else its JSON text.
CREATE OR REPLACE MACRO kql_tostring(value) AS
  CASE
    WHEN value IS NULL OR json_type(value) = 'NULL' THEN ''
    WHEN json_type(value) = 'VARCHAR' THEN value ->> '$'
    ELSE CAST(value AS VARCHAR)
  END;

CREATE OR REPLACE TABLE signins AS
SELECT
  row_number() OVER () AS ordinal,
  -- ISO 8601 with up to 7 fractional digits and a Z, to ticks since the epoch.
  CAST(epoch(CAST(substr(TimeGenerated, 1, 19) AS TIMESTAMP)) AS BIGINT) * 10000000
    + CAST(rpad(coalesce(regexp_extract(TimeGenerated, '\\.(\\d{1,7})', 1), ''), 7, '0') AS BIGINT) AS ticks,
  coalesce(Type, '') AS Type,
  coalesce(OperationName, '') AS OperationName,
  coalesce(ResultType, '') AS ResultType,
  coalesce(ResultDescription, '') AS ResultDescription,
  coalesce(UserPrincipalName, '') AS UserPrincipalName,
  coalesce(IPAddress, '') AS IPAddress,
  coalesce(AppDisplayName, '') AS AppDisplayName,
  to_dynamic(LocationDetails) AS location,
  to_dynamic(DeviceDetail) AS device
FROM raw;
`;
}

/** Builds scheduled runs: `windowed` contains each failure once per run that sees it, `groups` the alerting groups. */
function scheduledWindows(rule: OracleRule): string {
  return `anchor AS (
  -- Runs start at 00:00 UTC of the day of the earliest event read, whatever its result.
  SELECT (min(ticks) // 864000000000) * 864000000000 AS t0, max(ticks) AS last FROM signins
),
runs AS (
  SELECT t0 + k * ${rule.frequency} AS run
  FROM anchor, range(0, CAST((last - t0) // ${rule.frequency} + 2 + ${rule.period} // ${rule.frequency} AS BIGINT)) AS r(k)
),
windowed AS (
  SELECT runs.run, failures.*
  FROM failures JOIN runs ON failures.ticks >= runs.run - ${rule.period} AND failures.ticks < runs.run
),
groups AS (
  SELECT run, UserPrincipalName, Type,
    min(ticks) AS StartTime, max(ticks) AS EndTime,
    count(DISTINCT LocationString) AS LocationCount,
    count(DISTINCT IPAddress) AS IPAddressCount,
    count(*) AS SigninCount,
    run - ${rule.period} AS WindowStart, run AS WindowEnd, CAST(NULL AS BIGINT) AS FirstTriggeredAt
  FROM windowed GROUP BY ALL
  HAVING count(*) > ${rule.failureThreshold} AND count(DISTINCT LocationString) >= ${rule.locationThreshold}
),`;
}

/** Builds sliding windows merged into alerts; `run` is the merged alert's first tick. */
function slidingWindows(rule: OracleRule): string {
  return `ends AS (
  SELECT DISTINCT UserPrincipalName, Type, ticks AS end_ticks FROM failures
),
tested AS (
  SELECT e.UserPrincipalName, e.Type, e.end_ticks, min(f.ticks) AS start_ticks,
    count(*) AS attempts, count(DISTINCT f.LocationString) AS locations
  FROM ends e JOIN failures f
    ON f.UserPrincipalName = e.UserPrincipalName AND f.Type = e.Type
    AND f.ticks <= e.end_ticks AND f.ticks > e.end_ticks - ${rule.period}
  GROUP BY ALL
),
qualifying AS (
  SELECT *,
    max(end_ticks) OVER (PARTITION BY UserPrincipalName, Type ORDER BY start_ticks, end_ticks
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
  FROM tested
  WHERE attempts > ${rule.failureThreshold} AND locations >= ${rule.locationThreshold}
),
islands AS (
  SELECT *,
    sum(CASE WHEN previous_end IS NULL OR start_ticks > previous_end THEN 1 ELSE 0 END)
      OVER (PARTITION BY UserPrincipalName, Type ORDER BY start_ticks, end_ticks ROWS UNBOUNDED PRECEDING) AS island
  FROM qualifying
),
merged AS (
  SELECT UserPrincipalName, Type, min(start_ticks) AS run, max(end_ticks) AS last_tick, min(end_ticks) AS triggered
  FROM islands GROUP BY UserPrincipalName, Type, island
),
windowed AS (
  SELECT merged.run, failures.*
  FROM failures JOIN merged
    ON failures.UserPrincipalName = merged.UserPrincipalName AND failures.Type = merged.Type
    AND failures.ticks >= merged.run AND failures.ticks <= merged.last_tick
),
groups AS (
  SELECT w.run, w.UserPrincipalName, w.Type,
    min(w.ticks) AS StartTime, max(w.ticks) AS EndTime,
    count(DISTINCT w.LocationString) AS LocationCount,
    count(DISTINCT w.IPAddress) AS IPAddressCount,
    count(*) AS SigninCount,
    w.run AS WindowStart, any_value(m.last_tick) + 1 AS WindowEnd, any_value(m.triggered) AS FirstTriggeredAt
  FROM windowed w JOIN merged m USING (run, UserPrincipalName, Type)
  GROUP BY w.run, w.UserPrincipalName, w.Type
),`;
}

/** Builds the rule's query over table `signins`: one row per alert, the six lists as text arrays (Browser and OS elements as JSON text). */
export function ruleSql(rule: OracleRule): string {
  const codes = rule.codes.map(quote).join(', ');
  const setColumn = (name: string, cap: number): string => `
${name}_firsts AS (
  SELECT run, UserPrincipalName, Type, value, min(ticks) AS first_seen
  FROM ${name}_values GROUP BY ALL
),
${name}_set AS (
  -- NOTE: VARCHAR order is UTF-8 byte order, which differs from UTF-16 code-unit order only between
  -- characters above U+FFFF and those in U+E000-U+FFFF; the tests write neither.
  SELECT run, UserPrincipalName, Type,
    list(value ORDER BY first_seen, value) AS ${name}
  FROM (
    SELECT *, row_number() OVER (PARTITION BY run, UserPrincipalName, Type ORDER BY first_seen, value) AS position
    FROM ${name}_firsts
  )
  WHERE position <= ${cap}
  GROUP BY ALL
)`;

  return `
WITH
failures AS (
  SELECT *,
    kql_tostring(json_extract(location, '$.countryOrRegion')) || '/' ||
    kql_tostring(json_extract(location, '$.state')) || '/' ||
    kql_tostring(json_extract(location, '$.city')) AS LocationString,
    json_extract(device, '$.browser') AS browser,
    json_extract(device, '$.operatingSystem') AS os
  FROM signins
  -- =~ folds ASCII letters only. NOTE: DuckDB's lower() also folds non-ASCII letters, so a value such as
  -- 'SIGN-IN ACTIVIT' || U+212A (Kelvin sign) would pass here and not in Kusto; the tests never write one.
  WHERE lower(OperationName) = 'sign-in activity'
    AND ResultType IN (${codes})
),
${rule.window === 'scheduled' ? scheduledWindows(rule) : slidingWindows(rule)}
Location_values AS (SELECT run, UserPrincipalName, Type, ticks, LocationString AS value FROM windowed),
IPAddress_values AS (SELECT run, UserPrincipalName, Type, ticks, IPAddress AS value FROM windowed),
AppDisplayName_values AS (SELECT run, UserPrincipalName, Type, ticks, AppDisplayName AS value FROM windowed),
ResultDescription_values AS (SELECT run, UserPrincipalName, Type, ticks, ResultDescription AS value FROM windowed),
-- Dynamic columns: nulls are skipped, arrays contribute their elements; values compare as JSON text.
Browser_values AS (
  SELECT run, UserPrincipalName, Type, ticks, CAST(element AS VARCHAR) AS value
  FROM (
    SELECT *, unnest(CASE WHEN json_type(browser) = 'ARRAY' THEN json_extract(browser, '$[*]') ELSE [browser] END) AS element
    FROM windowed WHERE browser IS NOT NULL
  ) WHERE json_type(element) <> 'NULL'
),
OS_values AS (
  SELECT run, UserPrincipalName, Type, ticks, CAST(element AS VARCHAR) AS value
  FROM (
    SELECT *, unnest(CASE WHEN json_type(os) = 'ARRAY' THEN json_extract(os, '$[*]') ELSE [os] END) AS element
    FROM windowed WHERE os IS NOT NULL
  ) WHERE json_type(element) <> 'NULL'
),
${setColumn('Location', rule.caps.Location)},
${setColumn('IPAddress', rule.caps.IPAddress)},
${setColumn('AppDisplayName', rule.caps.AppDisplayName)},
${setColumn('ResultDescription', rule.caps.ResultDescription)},
${setColumn('Browser', rule.caps.Browser)},
${setColumn('OS', rule.caps.OS)}
SELECT
  g.UserPrincipalName, g.Type, g.StartTime, g.EndTime, g.LocationCount, g.IPAddressCount, g.SigninCount,
  g.WindowStart, g.WindowEnd, g.FirstTriggeredAt,
  coalesce(l.Location, []::VARCHAR[]) AS Location,
  coalesce(i.IPAddress, []::VARCHAR[]) AS IPAddress,
  coalesce(a.AppDisplayName, []::VARCHAR[]) AS AppDisplayName,
  coalesce(r.ResultDescription, []::VARCHAR[]) AS ResultDescription,
  coalesce(b.Browser, []::VARCHAR[]) AS Browser,
  coalesce(o.OS, []::VARCHAR[]) AS OS
FROM groups g
LEFT JOIN Location_set l USING (run, UserPrincipalName, Type)
LEFT JOIN IPAddress_set i USING (run, UserPrincipalName, Type)
LEFT JOIN AppDisplayName_set a USING (run, UserPrincipalName, Type)
LEFT JOIN ResultDescription_set r USING (run, UserPrincipalName, Type)
LEFT JOIN Browser_set b USING (run, UserPrincipalName, Type)
LEFT JOIN OS_set o USING (run, UserPrincipalName, Type)
ORDER BY g.Type, g.UserPrincipalName, g.run;
`;
}
