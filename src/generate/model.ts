/**
 * The generator's in-memory sign-in event and tenant user: just enough to render every output layout.
 * Times are milliseconds since the epoch plus 0-9999 extra 100-ns ticks, so 7-digit fractions survive
 * without bigint arithmetic on the hot path.
 */
import type { App, Device, Metro, Outcome, Place } from './world.js';

export type TableName = 'SigninLogs' | 'AADNonInteractiveUserSignInLogs';

export interface TenantUser {
  readonly index: number;
  readonly upn: string;
  readonly displayName: string;
  readonly id: string;
  readonly userType: 'Member' | 'Guest';
  readonly metro: Metro;
  /** Place the user's home broadband geolocates to; a guest's home is abroad. */
  readonly home: Place;
  readonly homeIp: string;
  /** Index of the office site in the tenant's office list; -1 for guests and remote staff. */
  readonly office: number;
  readonly laptop: Device;
  readonly phone: Device;
  readonly usesVpn: boolean;
  /** Days (tenant day index) on which the user travels, with where to. */
  readonly trips: ReadonlyMap<number, Place>;
  /**
   * Days on which a client keeps retrying an old password (a benign source of 50126 bursts): a phone on a
   * carrier network, or a laptop moving between office, home and an IPv6 network with no geolocation.
   */
  readonly stalePasswordDays: ReadonlyMap<number, 'phone' | 'laptop'>;
  /** Relative activity: some people sign in far more than others. */
  readonly activity: number;
}

export interface Office {
  readonly place: Place;
  readonly ip: string;
}

export interface SignInEvent {
  table: TableName;
  /** Sign-in time (CreatedDateTime), ms since the epoch. */
  created: number;
  createdTicks: number;
  /** TimeGenerated: when Azure Monitor received the record, ms since the epoch. */
  generated: number;
  generatedTicks: number;
  user: TenantUser;
  /** The UPN as it was typed; an attacker may vary its case. */
  upn: string;
  ip: string;
  /** Geolocation of the IP; null writes an empty location, as Entra does for unknown addresses. */
  place: Place | null;
  outcome: Outcome;
  app: App;
  device: Device;
  id: string;
  correlationId: string;
  sessionId: string;
  tokenId: string;
  mfa: boolean;
}
