/**
 * The fixed reference data a synthetic tenant is drawn from: cities (with the neighbouring cities a
 * geo-IP database flaps between), applications, devices and the result codes Entra ID writes.
 *
 * Every IP address comes from a range that is never routed on the internet (RFC 5737 documentation
 * ranges, RFC 2544 benchmarking 198.18.0.0/15, RFC 6598 shared 100.64.0.0/10, RFC 3849 2001:db8::/32),
 * so no generated record names a real host.
 */
import type { Prng } from './prng.js';

export interface Place {
  readonly city: string;
  readonly state: string;
  readonly countryOrRegion: string;
  readonly latitude: number;
  readonly longitude: number;
  /** Hours east of UTC, used to place working hours. */
  readonly utcOffset: number;
}

/** A metropolitan area: a geo-IP lookup of one network can land on any of its cities. */
export interface Metro {
  readonly name: string;
  readonly cities: readonly Place[];
}

function place(city: string, state: string, countryOrRegion: string, latitude: number, longitude: number, utcOffset: number): Place {
  return { city, state, countryOrRegion, latitude, longitude, utcOffset };
}

/** Metros where the tenant's offices and staff are. */
export const HOME_METROS: readonly Metro[] = [
  {
    name: 'Seattle',
    cities: [
      place('Seattle', 'Washington', 'US', 47.6062, -122.3321, -8),
      place('Bellevue', 'Washington', 'US', 47.6101, -122.2015, -8),
      place('Redmond', 'Washington', 'US', 47.674, -122.1215, -8),
      place('Tacoma', 'Washington', 'US', 47.2529, -122.4443, -8),
    ],
  },
  {
    name: 'New York',
    cities: [
      place('New York', 'New York', 'US', 40.7128, -74.006, -5),
      place('Newark', 'New Jersey', 'US', 40.7357, -74.1724, -5),
      place('Jersey City', 'New Jersey', 'US', 40.7178, -74.0431, -5),
      place('Yonkers', 'New York', 'US', 40.9312, -73.8988, -5),
    ],
  },
  {
    name: 'London',
    cities: [
      place('London', 'England', 'GB', 51.5072, -0.1276, 0),
      place('Slough', 'England', 'GB', 51.5105, -0.5950, 0),
      place('Croydon', 'England', 'GB', 51.3762, -0.0982, 0),
    ],
  },
  {
    name: 'Frankfurt',
    cities: [
      place('Frankfurt am Main', 'Hesse', 'DE', 50.1109, 8.6821, 1),
      place('Offenbach', 'Hesse', 'DE', 50.0956, 8.7761, 1),
      place('Wiesbaden', 'Hesse', 'DE', 50.0782, 8.2398, 1),
    ],
  },
  {
    name: 'Paris',
    cities: [
      place('Paris', 'Ile-de-France', 'FR', 48.8566, 2.3522, 1),
      place('Nanterre', 'Ile-de-France', 'FR', 48.8924, 2.2071, 1),
      place('Saint-Denis', 'Ile-de-France', 'FR', 48.9362, 2.3574, 1),
    ],
  },
  {
    name: 'Mumbai',
    cities: [
      place('Mumbai', 'Maharashtra', 'IN', 19.076, 72.8777, 5.5),
      place('Thane', 'Maharashtra', 'IN', 19.2183, 72.9781, 5.5),
      place('Navi Mumbai', 'Maharashtra', 'IN', 19.033, 73.0297, 5.5),
    ],
  },
];

/** Places staff travel to and guests sign in from. */
export const TRAVEL_PLACES: readonly Place[] = [
  place('Chicago', 'Illinois', 'US', 41.8781, -87.6298, -6),
  place('San Francisco', 'California', 'US', 37.7749, -122.4194, -8),
  place('Toronto', 'Ontario', 'CA', 43.6532, -79.3832, -5),
  place('Dublin', 'Dublin', 'IE', 53.3498, -6.2603, 0),
  place('Amsterdam', 'North Holland', 'NL', 52.3676, 4.9041, 1),
  place('Madrid', 'Madrid', 'ES', 40.4168, -3.7038, 1),
  place('Singapore', 'Singapore', 'SG', 1.3521, 103.8198, 8),
  place('Tokyo', 'Tokyo', 'JP', 35.6762, 139.6503, 9),
  place('Sydney', 'New South Wales', 'AU', -33.8688, 151.2093, 10),
  place('Sao Paulo', 'Sao Paulo', 'BR', -23.5505, -46.6333, -3),
];

/** Cities a VPN provider's egress nodes geolocate to. */
export const VPN_EGRESS: readonly Place[] = [
  place('Ashburn', 'Virginia', 'US', 39.0438, -77.4874, -5),
  place('Amsterdam', 'North Holland', 'NL', 52.3676, 4.9041, 1),
  place('Zurich', 'Zurich', 'CH', 47.3769, 8.5417, 1),
];

/** Places attack infrastructure (botnets, proxies, cloud hosts) geolocates to. */
export const ATTACK_PLACES: readonly Place[] = [
  place('Lagos', 'Lagos', 'NG', 6.5244, 3.3792, 1),
  place('Hanoi', 'Ha Noi', 'VN', 21.0278, 105.8342, 7),
  place('Moscow', 'Moscow', 'RU', 55.7558, 37.6173, 3),
  place('Sao Paulo', 'Sao Paulo', 'BR', -23.5505, -46.6333, -3),
  place('Jakarta', 'Jakarta', 'ID', -6.2088, 106.8456, 7),
  place('Bucharest', 'Bucuresti', 'RO', 44.4268, 26.1025, 2),
  place('Tehran', 'Tehran', 'IR', 35.6892, 51.389, 3.5),
  place('Dhaka', 'Dhaka', 'BD', 23.8103, 90.4125, 6),
  place('Kyiv', 'Kyiv City', 'UA', 50.4501, 30.5234, 2),
  place('Shenzhen', 'Guangdong', 'CN', 22.5431, 114.0579, 8),
  place('Caracas', 'Distrito Capital', 'VE', 10.4806, -66.9036, -4),
  place('Istanbul', 'Istanbul', 'TR', 41.0082, 28.9784, 3),
];

export interface App {
  readonly name: string;
  readonly id: string;
  readonly resource: string;
  readonly resourceId: string;
  readonly clientAppUsed: string;
}

function app(name: string, id: string, resource: string, resourceId: string, clientAppUsed = 'Browser'): App {
  return { name, id, resource, resourceId, clientAppUsed };
}

/** First-party application ids as they appear in real sign-in logs (public, well-known ids). */
export const INTERACTIVE_APPS: readonly (readonly [App, number])[] = [
  [app('Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000', 'Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000'), 3],
  [app('OfficeHome', '4765445b-32c6-49b0-83e6-1d93765276ca', 'OfficeHome', '4765445b-32c6-49b0-83e6-1d93765276ca'), 3],
  [app('Microsoft Teams', '1fec8e78-bce4-4aaf-ab1b-5451cc387264', 'Microsoft Teams Services', 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', 'Mobile Apps and Desktop clients'), 3],
  [app('One Outlook Web', '9199bf20-a13f-4107-85dc-02114787ef48', 'Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000'), 2],
  [app('Azure Portal', 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', 'Windows Azure Service Management API', '797f4846-ba00-4fd7-ba43-dac1f8f63013'), 1],
  [app('Microsoft Office', 'd3590ed6-52b3-4102-aeff-aad2292ab01c', 'Office 365 SharePoint Online', '00000003-0000-0ff1-ce00-000000000000', 'Mobile Apps and Desktop clients'), 2],
];

export const NON_INTERACTIVE_APPS: readonly (readonly [App, number])[] = [
  [app('Microsoft Teams', '1fec8e78-bce4-4aaf-ab1b-5451cc387264', 'Microsoft Teams Services', 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', 'Mobile Apps and Desktop clients'), 5],
  [app('Microsoft Office', 'd3590ed6-52b3-4102-aeff-aad2292ab01c', 'Microsoft Graph', '00000003-0000-0000-c000-000000000000', 'Mobile Apps and Desktop clients'), 4],
  [app('Microsoft Authentication Broker', '29d9ed98-a469-4536-ade2-f981bc1d605e', 'Microsoft Graph', '00000003-0000-0000-c000-000000000000', 'Mobile Apps and Desktop clients'), 2],
  [app('OneDrive SyncEngine', 'ab9b8c07-8f02-4f72-87fa-80105867a763', 'Office 365 SharePoint Online', '00000003-0000-0ff1-ce00-000000000000', 'Mobile Apps and Desktop clients'), 2],
  [app('Outlook Mobile', '27922004-5251-4030-b22d-91ecd9a37ea4', 'Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000', 'Mobile Apps and Desktop clients'), 2],
  [app('Windows Sign In', '38aa3b87-a06d-4817-b275-7a316988d93b', 'Windows Azure Active Directory', '00000002-0000-0000-c000-000000000000', 'Mobile Apps and Desktop clients'), 1],
];

/** Applications attack tools authenticate against (legacy and ROPC-capable endpoints). */
export const ATTACK_APPS: readonly (readonly [App, number])[] = [
  [app('Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000', 'Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000', 'Exchange ActiveSync'), 3],
  [app('Azure Active Directory PowerShell', '1b730954-1685-4b74-9bfd-dac224a7b894', 'Windows Azure Active Directory', '00000002-0000-0000-c000-000000000000', 'Mobile Apps and Desktop clients'), 2],
  [app('Microsoft Azure CLI', '04b07795-8ddb-461a-bbee-02f9e1bf7b46', 'Windows Azure Service Management API', '797f4846-ba00-4fd7-ba43-dac1f8f63013', 'Mobile Apps and Desktop clients'), 1],
  [app('OfficeHome', '4765445b-32c6-49b0-83e6-1d93765276ca', 'OfficeHome', '4765445b-32c6-49b0-83e6-1d93765276ca'), 2],
];

export interface Device {
  readonly operatingSystem: string;
  readonly browser: string;
  readonly userAgent: string;
  readonly deviceId: string;
  readonly displayName: string;
  readonly trustType: string;
  readonly isCompliant: boolean;
  readonly isManaged: boolean;
  readonly mobile: boolean;
}

const DESKTOP_AGENTS = [
  ['Windows10', 'Edge 131.0.0', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0'],
  ['Windows10', 'Chrome 131.0.0', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'],
  ['MacOs', 'Safari 18.1', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15'],
  ['MacOs', 'Chrome 131.0.0', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'],
  ['Windows10', 'Firefox 133.0', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'],
] as const;

const MOBILE_AGENTS = [
  ['Ios', 'Mobile Safari 18.1', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'],
  ['Android', 'Chrome Mobile 131.0.0', 'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36'],
  ['Ios', 'Rich Client 4.63.0', 'Outlook-iOS/2.0'],
] as const;

/** User agents of password-guessing tools and scripted clients. */
export const ATTACK_AGENTS = [
  ['', '', 'python-requests/2.32.3'],
  ['Windows10', 'Chrome 120.0.0', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'],
  ['', '', 'BAV2ROPC'],
  ['Linux', 'Firefox 115.0', 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0'],
  ['', 'Go-http-client 1.1', 'Go-http-client/1.1'],
] as const;

export function makeDevice(random: Prng, mobile: boolean, owner: string): Device {
  const [operatingSystem, browser, userAgent] = mobile ? random.pick(MOBILE_AGENTS) : random.pick(DESKTOP_AGENTS);
  const managed = !mobile && random.chance(0.8);
  return {
    operatingSystem,
    browser,
    userAgent,
    deviceId: managed ? random.guid() : '',
    displayName: managed ? `${owner.slice(0, 6).toUpperCase()}-${random.between(1000, 9999)}` : '',
    trustType: managed ? random.pick(['Azure AD joined', 'Hybrid Azure AD joined']) : '',
    isCompliant: managed,
    isManaged: managed,
    mobile,
  };
}

export function attackDevice(random: Prng): Device {
  const [operatingSystem, browser, userAgent] = random.pick(ATTACK_AGENTS);
  return { operatingSystem, browser, userAgent, deviceId: '', displayName: '', trustType: '', isCompliant: false, isManaged: false, mobile: false };
}

/** A result code with the ResultDescription and Status.additionalDetails Entra writes for it. */
export interface Outcome {
  readonly code: string;
  readonly description: string;
  readonly details: string;
}

function outcome(code: string, description: string, details = ''): Outcome {
  return { code, description, details };
}

export const SUCCESS = outcome('0', '');
export const WRONG_PASSWORD = outcome('50126', 'Error validating credentials due to invalid username or password.', "The user didn't enter the right credentials. It's expected to see some number of these errors in your logs due to users making mistakes.");
export const LOCKED = outcome('50053', 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.', 'The account is locked, you have tried to sign in too many times with an incorrect user ID or password.');
export const BLOCKED_IP = outcome('50053', 'Sign-in was blocked because it came from an IP address with malicious activity', 'The IP address has been blocked due to malicious activity.');
export const PASSWORD_EXPIRED = outcome('50055', 'The password is expired.', "The user's password is expired, and therefore their login or session was ended.");
export const INVALID_PASSWORD_EXPIRED = outcome('50056', 'Invalid or null password: password does not exist in the directory for this user.', 'The user should be asked to enter their password again.');
export const MFA_REQUIRED = outcome('50074', 'Strong Authentication is required.', 'The user did not pass the MFA challenge (non interactive).');
export const MFA_CONFIG = outcome('50076', 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access.', 'MFA required for this sign-in.');
export const KMSI_INTERRUPT = outcome('50140', 'This error occurred due to "Keep me signed in" interrupt when the user was signing in.', 'This is an expected part of the login flow.');
export const USER_NOT_FOUND = outcome('50034', 'The user account does not exist in the directory.', 'To sign into this application, the account must be added to the directory.');
export const DISABLED = outcome('50057', 'User account is disabled.', 'The user object in Active Directory backing this account has been disabled.');
export const CA_BLOCKED = outcome('53003', 'Access has been blocked by Conditional Access policies.', 'Access has been blocked by Conditional Access policies.');
export const FRESH_TOKEN = outcome('50173', 'The provided grant has expired due to it being revoked, a fresh auth token is needed.', 'The user might have changed their password.');
export const REFRESH_EXPIRED = outcome('700082', 'The refresh token has expired due to inactivity.', 'The token was issued and was inactive for a time.');
export const SESSION_EXPIRED = outcome('70044', 'The session has expired or is invalid due to sign-in frequency checks by conditional access.', 'The session has expired.');
export const DEVICE_AUTH = outcome('50097', 'Device authentication is required.', 'Device authentication is required.');

/** Everyday failures of interactive sign-ins, with relative weights (successes are drawn separately). */
export const INTERACTIVE_FAILURES: readonly (readonly [Outcome, number])[] = [
  [MFA_CONFIG, 30],
  [MFA_REQUIRED, 15],
  [KMSI_INTERRUPT, 25],
  [WRONG_PASSWORD, 12],
  [CA_BLOCKED, 4],
  [PASSWORD_EXPIRED, 2],
  [LOCKED, 1],
  [INVALID_PASSWORD_EXPIRED, 1],
];

/** Everyday failures of non-interactive (token refresh) sign-ins. */
export const NON_INTERACTIVE_FAILURES: readonly (readonly [Outcome, number])[] = [
  [FRESH_TOKEN, 30],
  [REFRESH_EXPIRED, 20],
  [SESSION_EXPIRED, 20],
  [DEVICE_AUTH, 10],
  [MFA_REQUIRED, 10],
  [WRONG_PASSWORD, 3],
];

/** Address pools; each returns text in a non-routable range. */
export const IP = {
  /** Home broadband: RFC 2544 198.18.0.0/15. */
  home(random: Prng): string {
    return `198.${18 + random.int(2)}.${random.int(256)}.${1 + random.int(254)}`;
  },
  /** Mobile carrier NAT pools: RFC 6598 100.64.0.0/10. */
  mobile(random: Prng): string {
    return `100.${64 + random.int(64)}.${random.int(256)}.${1 + random.int(254)}`;
  },
  /** Office egress: RFC 5737 203.0.113.0/24. */
  office(index: number): string {
    return `203.0.113.${10 + index * 8}`;
  },
  /** VPN egress: RFC 5737 192.0.2.0/24. */
  vpn(random: Prng): string {
    return `192.0.2.${1 + random.int(254)}`;
  },
  /** Attack infrastructure: RFC 5737 198.51.100.0/24 and RFC 3849 IPv6 space. */
  attack(random: Prng): string {
    if (random.chance(0.2)) {
      return `2001:db8:${random.int(65536).toString(16)}:${random.int(65536).toString(16)}::${(1 + random.int(65535)).toString(16)}`;
    }
    return `198.51.100.${1 + random.int(254)}`;
  },
  /** Hotel and travel networks: RFC 3849 IPv6. */
  travel(random: Prng): string {
    return `2001:db8:7${random.int(4096).toString(16).padStart(3, '0')}::${(1 + random.int(65535)).toString(16)}`;
  },
};
