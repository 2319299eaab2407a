/**
 * Everyday sign-ins of one user on one day: interactive sessions in working hours with the failures
 * people really cause (MFA prompts, "keep me signed in" interrupts, password typos, expired passwords),
 * and the much larger stream of non-interactive token refreshes from desktop and phone apps.
 */
import type { SignInEvent, TableName, TenantUser } from './model.js';
import type { Prng } from './prng.js';
import type { Tenant } from './tenant.js';
import {
  INTERACTIVE_APPS,
  INTERACTIVE_FAILURES,
  IP,
  LOCKED,
  NON_INTERACTIVE_APPS,
  NON_INTERACTIVE_FAILURES,
  SUCCESS,
  VPN_EGRESS,
  WRONG_PASSWORD,
  type App,
  type Device,
  type Outcome,
  type Place,
} from './world.js';
import type { ActivityRates } from './catalog.js';

export type { ActivityRates } from './catalog.js';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;


/** A network the user is connected from for a stretch of the day. */
interface Network {
  readonly ip: string;
  /** Returns the geolocation of one sign-in; a mobile carrier's address geolocates to any of the neighbouring cities. */
  locate(random: Prng): Place | null;
  readonly device: Device;
}

function fixedNetwork(ip: string, place: Place | null, device: Device): Network {
  return { ip, device, locate: () => place };
}

function mobileNetwork(random: Prng, user: TenantUser, near: readonly Place[]): Network {
  // Carrier NAT: the address changes often and geo-IP databases place it anywhere in the metro.
  const ip = IP.mobile(random);
  return { ip, device: user.phone, locate: (r) => (r.chance(0.03) ? null : r.pick(near)) };
}

export class BenignActivity {
  constructor(
    private readonly tenant: Tenant,
    private readonly rates: ActivityRates,
    private readonly dayStart: (day: number) => number,
  ) {}

  /** Appends the user's sign-ins of `day` to `out`. */
  generate(random: Prng, user: TenantUser, day: number, out: SignInEvent[]): void {
    const midnight = this.dayStart(day);
    const weekday = new Date(midnight).getUTCDay();
    const workday = weekday !== 0 && weekday !== 6 && !random.chance(0.05);
    const scale = user.activity * (workday ? 1 : 0.15);

    const trip = user.trips.get(day);
    const near = trip !== undefined ? [trip] : user.metro.cities;
    const inOffice = trip === undefined && user.office >= 0 && workday && random.chance(0.55);
    const office = user.office >= 0 ? this.tenant.offices[user.office] : null;
    const primary: Network = trip !== undefined
      ? fixedNetwork(IP.travel(random), trip, user.laptop)
      : inOffice && office !== null
        ? fixedNetwork(office.ip, office.place, user.laptop)
        : fixedNetwork(random.chance(0.97) ? user.homeIp : IP.home(random), user.home, user.laptop);
    const vpn = user.usesVpn ? fixedNetwork(IP.vpn(random), random.pick(VPN_EGRESS), user.laptop) : null;

    const localOffset = (trip ?? user.home).utcOffset;
    const workStart = midnight + (8 - localOffset) * MS_PER_HOUR;

    const pickNetwork = (): Network => {
      const roll = random.float();
      if (roll < 0.2) return mobileNetwork(random, user, near);
      if (vpn !== null && roll < 0.45) return vpn;
      return primary;
    };

    // Interactive sessions.
    const sessions = random.poisson(this.rates.interactivePerDay * scale);
    for (let s = 0; s < sessions; s++) {
      const network = pickNetwork();
      const time = workStart + random.float() * 10 * MS_PER_HOUR + random.normal() * MS_PER_HOUR;
      this.interactiveSession(random, user, network, time, out);
    }

    // Token refreshes: desktop apps during the day, the phone around the clock.
    const refreshes = random.poisson(this.rates.nonInteractivePerDay * scale);
    const session = random.guid();
    for (let r = 0; r < refreshes; r++) {
      const phone = random.chance(0.35);
      const network = phone ? mobileNetwork(random, user, near) : pickNetwork();
      const time = phone ? midnight + random.float() * 24 * MS_PER_HOUR : workStart + random.float() * 10 * MS_PER_HOUR;
      const outcome = random.chance(0.06) ? random.weighted(NON_INTERACTIVE_FAILURES) : SUCCESS;
      const app = random.weighted(NON_INTERACTIVE_APPS);
      this.emit(random, out, 'AADNonInteractiveUserSignInLogs', user, network, time, outcome, app, session, true);
    }

    const stale = user.stalePasswordDays.get(day);
    if (stale === 'phone') this.stalePasswordPhone(random, user, midnight, near, out);
    if (stale === 'laptop' && office !== null) this.stalePasswordLaptop(random, user, midnight, office.ip, office.place, out);
  }

  private interactiveSession(random: Prng, user: TenantUser, network: Network, time: number, out: SignInEvent[]): void {
    const app = random.weighted(INTERACTIVE_APPS);
    const session = random.guid();
    let at = time;
    if (random.chance(0.18)) {
      const failure = random.weighted(INTERACTIVE_FAILURES);
      this.emit(random, out, 'SigninLogs', user, network, at, failure, app, session, false);
      at += 5_000 + random.exponential(40_000);
      // A typo is usually followed by a second typo now and then, then the right password.
      if (failure === WRONG_PASSWORD && random.chance(0.25)) {
        this.emit(random, out, 'SigninLogs', user, network, at, WRONG_PASSWORD, app, session, false);
        at += 5_000 + random.exponential(40_000);
      }
    }
    this.emit(random, out, 'SigninLogs', user, network, at, SUCCESS, app, session, true);
  }

  /**
   * Stages a phone mail client that still holds the old password after a change and retries every few
   * minutes for hours, from carrier addresses that geolocate to several cities: many 50126 and 50053 failures
   * from several "locations" with no attacker involved.
   */
  private stalePasswordPhone(random: Prng, user: TenantUser, midnight: number, near: readonly Place[], out: SignInEvent[]): void {
    const start = midnight + random.between(6, 12) * MS_PER_HOUR;
    const attempts = random.between(32, 70);
    const app = NON_INTERACTIVE_APPS[4][0];
    let at = start;
    let network = mobileNetwork(random, user, near.length > 1 ? near : [...near, ...user.metro.cities]);
    for (let i = 0; i < attempts; i++) {
      if (random.chance(0.15)) network = mobileNetwork(random, user, near);
      const outcome: Outcome = i > 10 && random.chance(0.3) ? LOCKED : WRONG_PASSWORD;
      this.emit(random, out, 'AADNonInteractiveUserSignInLogs', user, network, at, outcome, app, random.guid(), false);
      at += random.between(3, 12) * MS_PER_MINUTE;
    }
  }

  /**
   * Outlook on a laptop with a cached old password retries all day: from the office, from home, and from
   * the home ISP's IPv6 addresses, which geo-IP databases often cannot place (an empty location, "//").
   */
  private stalePasswordLaptop(random: Prng, user: TenantUser, midnight: number, officeIp: string, officePlace: Place, out: SignInEvent[]): void {
    const networks = [
      fixedNetwork(officeIp, officePlace, user.laptop),
      fixedNetwork(user.homeIp, user.home, user.laptop),
      fixedNetwork(`2001:db8:${(0x4000 + user.index).toString(16)}::${(1 + random.int(65535)).toString(16)}`, null, user.laptop),
    ];
    const app = NON_INTERACTIVE_APPS[1][0];
    const attempts = random.between(32, 60);
    let at = midnight + random.between(5, 9) * MS_PER_HOUR;
    for (let i = 0; i < attempts; i++) {
      const network = networks[Math.min(2, Math.floor((i / attempts) * 3))];
      const outcome: Outcome = i > 10 && random.chance(0.3) ? LOCKED : WRONG_PASSWORD;
      this.emit(random, out, 'AADNonInteractiveUserSignInLogs', user, network, at, outcome, app, random.guid(), false);
      at += random.between(4, 15) * MS_PER_MINUTE;
    }
  }

  private emit(
    random: Prng,
    out: SignInEvent[],
    table: TableName,
    user: TenantUser,
    network: Network,
    time: number,
    outcome: Outcome,
    app: App,
    session: string,
    mfa: boolean,
  ): void {
    const created = Math.floor(time);
    // Entra usually delivers within minutes; now and then a record is an hour late.
    const latency = random.chance(0.002) ? random.between(10, 90) * MS_PER_MINUTE : 20_000 + Math.floor(random.exponential(90_000));
    const event: SignInEvent = {
      table,
      created,
      createdTicks: random.int(10_000),
      generated: created + latency,
      generatedTicks: random.int(10_000),
      user,
      upn: user.upn,
      ip: network.ip,
      place: network.locate(random),
      outcome,
      app,
      device: network.device,
      id: random.guid(),
      correlationId: random.guid(),
      sessionId: session,
      tokenId: tokenIdentifier(random),
      mfa: mfa && outcome === SUCCESS,
    };
    out.push(event);
    if (random.chance(this.rates.duplicateShare)) out.push(duplicateOf(random, event));
  }
}

/** Entra writes some sign-ins twice: same Id and CreatedDateTime, TimeGenerated seconds apart. */
export function duplicateOf(random: Prng, event: SignInEvent): SignInEvent {
  return { ...event, generated: event.generated + random.int(5_000), generatedTicks: random.int(10_000) };
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Returns a 22-character UniqueTokenIdentifier (base64url of 16 bytes). */
export function tokenIdentifier(random: Prng): string {
  let text = '';
  for (let i = 0; i < 22; i++) text += TOKEN_ALPHABET[random.int(64)];
  return text;
}
