/**
 * The report's data model: JSON-safe sections built once from a scan, then rendered to HTML. The header and
 * overview are rendered to static HTML in Node. The alerts travel as JSON for the page's script, which
 * lists, sorts, filters and draws them. Times are ISO 8601 UTC text or epoch milliseconds (for charts).
 */

export interface ReportData {
  readonly title: string;
  readonly generatedAt: string;
  readonly toolVersion: string;
  readonly scan: ScanSection;
  readonly rule: RuleSection;
  readonly notes: string[];
  readonly overview: OverviewSection;
  readonly alerts: ReportAlert[];
  /** Strings that alert failures refer to by index. */
  readonly strings: string[];
}

export interface ScanSection {
  readonly files: FileRow[];
  readonly records: number;
  readonly signIns: number;
  readonly counted: number;
  readonly skipped: number;
  readonly skippedByReason: LabelCount[];
  readonly otherCategories: LabelCount[];
  readonly tables: LabelCount[];
  /** Data-quality warnings, described in words. */
  readonly warnings: LabelCount[];
  readonly earliest: string | null;
  readonly latest: string | null;
}

export interface FileRow {
  readonly file: string;
  readonly layouts: string;
  readonly framing: string;
  readonly records: number;
  readonly signIns: number;
  readonly skipped: number;
  readonly error: string | null;
}

export interface LabelCount {
  readonly label: string;
  readonly count: number;
}

export interface RuleSection {
  readonly mode: string;
  readonly description: string;
  readonly window: string;
  readonly failureThreshold: number;
  readonly locationThreshold: number;
  readonly resultTypes: string[];
}

export interface OverviewSection {
  readonly alertsBySeverity: LabelCount[];
  readonly attackedUsers: number;
  /** Attacked users per time bucket: distinct alerted users with a counted failure in the bucket. */
  readonly timeline: { readonly bucket: string; readonly bucketStart: number; readonly users: number; readonly failures: number }[];
  readonly bucketLabel: string;
  readonly topIps: { readonly ip: string; readonly failures: number; readonly users: number; readonly locations: number }[];
  readonly topLocations: { readonly location: string; readonly failures: number; readonly users: number; readonly ips: number; readonly point: MapPoint | null }[];
}

/** A location projected onto the report's world map, in SVG user units. */
export interface MapPoint {
  readonly x: number;
  readonly y: number;
  /** Origin of the coordinates: the records' geoCoordinates, or the centroid of the country's shape. */
  readonly source: 'record' | 'country-centroid';
}

export interface ReportAlert {
  readonly user: string;
  readonly tables: string[];
  readonly severity: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly firstFailure: string;
  readonly lastFailure: string;
  /** When the failure and location thresholds first held together, or null when the failures kept could not show it. */
  readonly thresholdsMetAt: string | null;
  readonly failureCount: number;
  readonly locationCount: number;
  readonly ipCount: number;
  /** Locations ordered by failures (most first); the index is the location's colour in the timeline and map. */
  readonly locations: AlertLocation[];
  readonly ips: AlertIp[];
  readonly resultTypes: AlertResultType[];
  /** Counted failures in time order, up to the report's per-alert limit. */
  readonly failures: AlertFailure[];
  /** Failures the alert counts; more than `failures.length` when the report kept fewer. */
  readonly failuresTotal: number;
  readonly laterSuccess: LaterSuccess | null;
  /** Other users with failures from the alert's IPs in its window, most failures first, up to the report's limit. */
  readonly otherUsers: OtherUser[];
  /** Number of other users; a lower bound when `otherUsersNote` is set because the search was cut. */
  readonly otherUsersTotal: number;
  readonly otherUsersNote: string | null;
  /** Improved mode only: rows collapsed as duplicates, failures with unknown location, and the location granularity. */
  readonly improved: { readonly duplicateRows: number; readonly unknownLocations: number; readonly granularity: string } | null;
  readonly apps: string[];
  readonly browsers: string[];
  readonly operatingSystems: string[];
  /** Reasons the evidence may be incomplete, in words; empty when it is complete. */
  readonly evidenceNotes: string[];
}

export interface AlertLocation {
  readonly name: string;
  readonly failures: number;
  readonly ips: number;
  readonly first: string;
  readonly last: string;
  readonly point: MapPoint | null;
}

export interface AlertIp {
  readonly ip: string;
  readonly failures: number;
  readonly locations: string[];
  readonly userAgents: string[];
}

export interface AlertResultType {
  readonly code: string;
  readonly description: string;
  readonly failures: number;
}

/**
 * One counted failure, packed as an array because a report can hold hundreds of thousands:
 * [epoch milliseconds, location index in the alert's `locations`, IP, ResultType, table, application,
 * Id, CorrelationId, file, line]. IP, ResultType, table, application and file are indexes into
 * `ReportData.strings`; a negative line is a record number in a file without lines.
 */
export type AlertFailure = [number, number, number, number, number, number, string, string, number, number];

export interface LaterSuccess {
  readonly time: string;
  readonly t: number;
  readonly ip: string;
  readonly location: string;
  readonly app: string;
  readonly table: string;
  readonly id: string;
  readonly source: string;
  /** Why it matters: from an attacking IP, an attacking location, or both. */
  readonly matchedOn: string;
}

export interface OtherUser {
  readonly user: string;
  readonly failures: number;
  readonly ips: string[];
}
