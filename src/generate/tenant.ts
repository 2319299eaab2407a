import type { Office, TenantUser } from './model.js';
import type { Prng } from './prng.js';
import { HOME_METROS, IP, makeDevice, TRAVEL_PLACES, type Place } from './world.js';

const FIRST_NAMES = [
  'alex', 'amara', 'ben', 'carla', 'chen', 'dara', 'david', 'elena', 'emma', 'farid', 'fatima', 'george', 'hana', 'ivan',
  'jamal', 'jia', 'julia', 'kai', 'lars', 'leila', 'lucas', 'maria', 'mei', 'nadia', 'noah', 'olga', 'omar', 'priya',
  'rafael', 'ravi', 'sara', 'sofia', 'tariq', 'tom', 'uma', 'victor', 'wei', 'yusuf', 'zara', 'zoe',
];
const LAST_NAMES = [
  'adams', 'ahmed', 'bauer', 'costa', 'dubois', 'evans', 'fischer', 'garcia', 'haddad', 'ito', 'jensen', 'kim', 'kowalski',
  'lee', 'martin', 'meyer', 'nguyen', 'novak', 'okafor', 'patel', 'petrov', 'rossi', 'sato', 'schmidt', 'silva', 'singh',
  'smith', 'tanaka', 'wang', 'weber', 'wilson', 'yilmaz',
];
const GUEST_DOMAINS = ['fabrikam.com', 'northwindtraders.com', 'adatum.com', 'tailspintoys.com', 'wingtiptoys.com'];

export interface Tenant {
  readonly domain: string;
  readonly tenantId: string;
  readonly offices: readonly Office[];
  readonly users: readonly TenantUser[];
}

export interface TenantShape {
  readonly users: number;
  readonly days: number;
  readonly domain: string;
  /** Share of guest accounts (#EXT# UPNs). */
  readonly guestShare: number;
}

function capitalise(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}

/** Builds the directory: offices in one to three metros, members with homes near them, and guests. */
export function buildTenant(random: Prng, shape: TenantShape): Tenant {
  const tenantId = random.guid();
  const officeCount = Math.min(HOME_METROS.length, 1 + Math.floor(Math.log10(Math.max(1, shape.users))));
  const metros = random.shuffle(HOME_METROS).slice(0, Math.max(1, officeCount));
  const offices: Office[] = metros.map((metro, index) => ({ place: metro.cities[0], ip: IP.office(index) }));

  const users: TenantUser[] = [];
  const usedLocalParts = new Set<string>();
  for (let index = 0; index < shape.users; index++) {
    const userRandom = random.fork(`user-${index}`);
    const first = userRandom.pick(FIRST_NAMES);
    const last = userRandom.pick(LAST_NAMES);
    let local = `${first}.${last}`;
    for (let n = 2; usedLocalParts.has(local); n++) local = `${first}.${last}${n}`;
    usedLocalParts.add(local);

    const guest = userRandom.chance(shape.guestShare);
    const officeIndex = guest ? -1 : userRandom.int(offices.length);
    const metro = guest ? { name: 'abroad', cities: [userRandom.pick(TRAVEL_PLACES)] } : metros[officeIndex];
    const home = userRandom.pick(metro.cities);
    const upn = guest
      ? `${local}_${userRandom.pick(GUEST_DOMAINS)}#EXT#@${shape.domain.split('.')[0]}.onmicrosoft.com`
      : `${local}@${shape.domain}`;

    const trips = new Map<number, Place>();
    if (!guest && userRandom.chance(0.15)) {
      const start = userRandom.int(Math.max(1, shape.days));
      const length = userRandom.between(1, 4);
      const destination = userRandom.pick(TRAVEL_PLACES);
      for (let day = start; day < start + length && day < shape.days; day++) trips.set(day, destination);
    }

    const stalePasswordDays = new Map<number, 'phone' | 'laptop'>();
    if (userRandom.chance(0.015)) {
      stalePasswordDays.set(userRandom.int(Math.max(1, shape.days)), !guest && userRandom.chance(0.5) ? 'laptop' : 'phone');
    }

    users.push({
      index,
      upn,
      displayName: `${capitalise(first)} ${capitalise(last)}`,
      id: userRandom.guid(),
      userType: guest ? 'Guest' : 'Member',
      metro,
      home,
      homeIp: IP.home(userRandom),
      office: officeIndex,
      laptop: makeDevice(userRandom, false, local),
      phone: makeDevice(userRandom, true, local),
      usesVpn: userRandom.chance(0.12),
      trips,
      stalePasswordDays,
      activity: guest ? 0.2 : 0.4 + userRandom.exponential(0.6),
    });
  }

  return { domain: shape.domain, tenantId, offices, users };
}
