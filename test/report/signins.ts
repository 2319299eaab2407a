/** Builders for Log Analytics SigninLogs rows, the layout an analyst exports from a Sentinel workspace. */

export interface RowSpec {
  time: string;
  upn: string;
  ip: string;
  country: string;
  state: string;
  city: string;
  /** [latitude, longitude], or absent for `geoCoordinates: {}` as real exports often carry. */
  coordinates?: [number, number];
  resultType?: string;
  description?: string;
  app?: string;
  userAgent?: string;
  browser?: string;
  id: string;
  correlationId?: string;
  type?: 'SigninLogs' | 'AADNonInteractiveUserSignInLogs';
}

export function signInRow(spec: RowSpec): Record<string, unknown> {
  const resultType = spec.resultType ?? '50126';
  const description = spec.description ?? (resultType === '0' ? '' : 'Invalid username or password or Invalid on-premises username or password.');
  const geoCoordinates = spec.coordinates === undefined ? {} : { latitude: spec.coordinates[0], longitude: spec.coordinates[1] };
  return {
    TimeGenerated: spec.time,
    Type: spec.type ?? 'SigninLogs',
    OperationName: 'Sign-in activity',
    ResultType: resultType,
    ResultDescription: description,
    UserPrincipalName: spec.upn,
    IPAddress: spec.ip,
    AppDisplayName: spec.app ?? 'Office 365 Exchange Online',
    UserAgent: spec.userAgent ?? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    LocationDetails: { city: spec.city, state: spec.state, countryOrRegion: spec.country, geoCoordinates },
    DeviceDetail: { browser: spec.browser ?? 'Chrome 124.0.0', operatingSystem: 'Windows 10' },
    Status: resultType === '0' ? { errorCode: 0 } : { errorCode: Number(resultType), failureReason: description },
    Id: spec.id,
    CorrelationId: spec.correlationId ?? `c-${spec.id}`,
    OriginalRequestId: spec.id,
  };
}

export function toNdjson(rows: readonly Record<string, unknown>[]): string {
  return rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
}

/** Returns an ISO 8601 UTC timestamp `seconds` after `base`. */
export function later(base: string, seconds: number): string {
  return new Date(Date.parse(base) + seconds * 1000).toISOString();
}
