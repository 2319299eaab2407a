/**
 * Labelled attacks: each plan writes its sign-in events and one ground-truth row per targeted user.
 * The kinds cover what the Sentinel rule is built for and the ways around it.
 */
import { duplicateOf, tokenIdentifier } from './benign.js';
import type { SignInEvent, TableName, TenantUser } from './model.js';
import type { Prng } from './prng.js';
import {
  ATTACK_APPS,
  ATTACK_PLACES,
  attackDevice,
  BLOCKED_IP,
  IP,
  LOCKED,
  SUCCESS,
  USER_NOT_FOUND,
  WRONG_PASSWORD,
  type Outcome,
  type Place,
} from './world.js';
import { ATTACK_KINDS, type AttackCounts, type AttackKind } from './catalog.js';

export { ATTACK_KINDS, parseAttackCounts, type AttackCounts, type AttackKind } from './catalog.js';

export const ATTACK_KIND_TEXT: Record<AttackKind, string> = {
  distributed: 'distributed cracking: more than 30 failures from 3 or more locations within hours',
  slow: 'slow: at most 30 failures per day, or only 2 locations, over several days',
  straddle: 'straddles midnight UTC (a scheduled run boundary): each day holds at most 28 failures',
  spray: 'password spray: a few addresses, one or two guesses per user over many users',
  success: 'distributed cracking that ends in a successful sign-in',
  late: 'distributed cracking whose records arrive a day late (TimeGenerated long after CreatedDateTime)',
  'case-split': 'distributed cracking with the UPN typed in several letter cases, at most 28 failures each',
  'cross-table': 'distributed cracking split between interactive and non-interactive sign-ins, at most 28 each',
};

/** One row of the ground-truth file. */
export interface GroundTruth {
  user: string;
  kind: AttackKind;
  /** CreatedDateTime of the first and last attack sign-in, ISO 8601 UTC. */
  firstAttack: string;
  lastAttack: string;
  attempts: number;
  sourceIps: number;
  locations: number;
  tables: TableName[];
  succeeded: boolean;
  campaign: string;
}


const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

interface Source {
  readonly ip: string;
  readonly place: Place | null;
}

/** Attack infrastructure: `count` addresses spread over `placeCount` distinct locations. */
function sources(random: Prng, count: number, placeCount: number): Source[] {
  const places = random.shuffle(ATTACK_PLACES).slice(0, placeCount);
  const result: Source[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    let ip = IP.attack(random);
    while (used.has(ip)) ip = IP.attack(random);
    used.add(ip);
    result.push({ ip, place: places[i % places.length] });
  }
  return result;
}

interface Attempt {
  time: number;
  source: Source;
  outcome: Outcome;
  table: TableName;
  upn: string;
  /** Delivery delay in ms beyond the usual seconds. */
  delay: number;
}

export class AttackPlanner {
  readonly events: SignInEvent[] = [];
  readonly truth: GroundTruth[] = [];
  private campaigns = 0;

  constructor(
    private readonly random: Prng,
    private readonly days: number,
    private readonly dayStart: (day: number) => number,
    private readonly duplicateShare: number,
  ) {}

  /** Plans every requested attack against distinct victims; returns the kinds that found no victim. */
  plan(counts: AttackCounts, users: readonly TenantUser[]): AttackKind[] {
    // Users with a benign burst of their own are never victims, so an alert on them is always a false alert.
    const pool = this.random.shuffle(users.filter((user) => user.stalePasswordDays.size === 0));
    const short: AttackKind[] = [];
    for (const kind of ATTACK_KINDS) {
      const count = counts[kind] ?? 0;
      for (let i = 0; i < count; i++) {
        const random = this.random.fork(`${kind}-${i}`);
        if (kind === 'spray') {
          const size = Math.min(pool.length, random.between(12, 40));
          if (size === 0) short.push(kind);
          else this.spray(random, pool.splice(0, size));
          continue;
        }
        const victim = pool.shift();
        if (victim === undefined) {
          short.push(kind);
          continue;
        }
        this.single(random, kind, victim);
      }
    }
    return short;
  }

  private single(random: Prng, kind: Exclude<AttackKind, 'spray'>, victim: TenantUser): void {
    const day = random.int(this.days);
    const midnight = this.dayStart(day);
    const table: TableName = random.chance(0.7) ? 'SigninLogs' : 'AADNonInteractiveUserSignInLogs';
    const attempts: Attempt[] = [];
    const add = (time: number, source: Source, overrides: Partial<Attempt> = {}): void => {
      const outcome = attempts.length > 8 && random.chance(0.2) ? LOCKED : WRONG_PASSWORD;
      attempts.push({ time, source, outcome, table, upn: victim.upn, delay: 0, ...overrides });
    };
    const burst = (count: number, start: number, span: number, pool: Source[], overrides: Partial<Attempt> = {}): void => {
      for (let i = 0; i < count; i++) add(start + random.float() * span, pool[random.int(pool.length)], overrides);
    };

    switch (kind) {
      case 'distributed':
      case 'success': {
        const pool = sources(random, random.between(6, 40), random.between(3, 8));
        const start = midnight + random.between(1, 16) * MS_PER_HOUR;
        burst(random.between(35, 140), start, random.between(1, 6) * MS_PER_HOUR, pool);
        if (kind === 'success') {
          const last = Math.max(...attempts.map((a) => a.time));
          add(last + random.between(1, 20) * MS_PER_MINUTE, pool[random.int(pool.length)], { outcome: SUCCESS });
        }
        break;
      }
      case 'slow': {
        const pool = sources(random, random.between(6, 20), random.between(3, 6));
        const span = Math.min(this.days - day, random.between(3, 7));
        if (random.chance(0.5) || span < 2) {
          // Just under the location threshold: many failures, but only two locations.
          const twoPlaces = sources(random, random.between(4, 10), 2);
          burst(random.between(40, 90), midnight + random.between(1, 14) * MS_PER_HOUR, random.between(2, 8) * MS_PER_HOUR, twoPlaces);
        } else {
          // Just under the count threshold: 20 to 30 failures a day, kept clear of midnight.
          for (let d = 0; d < span; d++) burst(random.between(20, 30), midnight + d * MS_PER_DAY + 2 * MS_PER_HOUR, 19 * MS_PER_HOUR, pool);
        }
        break;
      }
      case 'straddle': {
        const boundary = midnight + MS_PER_DAY;
        const pool = sources(random, random.between(8, 30), random.between(4, 7));
        const spread = random.between(1, 3) * MS_PER_HOUR;
        // Keep each side clear of the boundary by the delivery latency so it stays on its own day.
        burst(random.between(18, 28), boundary - spread, spread - 10 * MS_PER_MINUTE, pool);
        burst(random.between(18, 28), boundary + 5 * MS_PER_MINUTE, spread, pool);
        break;
      }
      case 'late': {
        const pool = sources(random, random.between(8, 30), random.between(4, 7));
        const start = midnight + random.between(6, 12) * MS_PER_HOUR;
        const span = random.between(1, 2) * MS_PER_HOUR;
        burst(random.between(18, 28), start, span, pool);
        // The rest reach Azure Monitor 24-28 hours later, in the next day's window.
        burst(random.between(18, 28), start, span, pool, { delay: random.between(24, 28) * MS_PER_HOUR });
        break;
      }
      case 'case-split': {
        const pool = sources(random, random.between(8, 30), random.between(4, 7));
        const forms = [victim.upn.toLowerCase(), victim.upn.toUpperCase(), capitalisedUpn(victim.upn)];
        const start = midnight + random.between(1, 16) * MS_PER_HOUR;
        const span = random.between(1, 4) * MS_PER_HOUR;
        for (const form of forms) burst(random.between(15, 28), start, span, pool, { upn: form });
        break;
      }
      case 'cross-table': {
        const pool = sources(random, random.between(8, 30), random.between(4, 7));
        const start = midnight + random.between(1, 16) * MS_PER_HOUR;
        const span = random.between(1, 4) * MS_PER_HOUR;
        // At most 28 per table, so the rows Entra duplicates rarely lift one table over 30.
        burst(random.between(18, 28), start, span, pool, { table: 'SigninLogs' });
        burst(random.between(18, 28), start, span, pool, { table: 'AADNonInteractiveUserSignInLogs' });
        break;
      }
    }
    this.record(random, kind, victim, attempts, `${kind}-${++this.campaigns}`);
  }

  /** Stages a spray: a handful of addresses try one or two common passwords against many users, in rounds. */
  private spray(random: Prng, victims: TenantUser[]): void {
    const campaign = `spray-${++this.campaigns}`;
    const pool = sources(random, random.between(1, 3), random.between(1, 2));
    const day = random.int(this.days);
    const rounds = random.between(1, 3);
    const perVictim = new Map<TenantUser, Attempt[]>(victims.map((victim) => [victim, []]));
    for (let round = 0; round < rounds; round++) {
      const start = this.dayStart(day) + random.between(0, 20) * MS_PER_HOUR + round * 2 * MS_PER_HOUR;
      for (const victim of victims) {
        const outcome = random.chance(0.05) ? BLOCKED_IP : WRONG_PASSWORD;
        const attempt: Attempt = {
          time: start + random.float() * 20 * MS_PER_MINUTE,
          source: random.pick(pool),
          outcome,
          table: 'SigninLogs',
          upn: victim.upn,
          delay: 0,
        };
        perVictim.get(victim)!.push(attempt);
      }
    }
    for (const [victim, attempts] of perVictim) this.record(random, 'spray', victim, attempts, campaign);

    // Sprays also guess names that do not exist; those records carry no victim, so they get no label.
    for (let i = 0; i < victims.length / 4; i++) {
      const source = random.pick(pool);
      const upn = `admin${random.int(100)}@${victims[0].upn.split('@').pop()}`;
      const ghost: TenantUser = { ...victims[0], upn, id: '00000000-0000-0000-0000-000000000000', displayName: '' };
      this.events.push(this.event(random, { time: this.dayStart(day) + random.float() * MS_PER_DAY, source, outcome: USER_NOT_FOUND, table: 'SigninLogs', upn, delay: 0 }, ghost));
    }
  }

  private record(random: Prng, kind: AttackKind, victim: TenantUser, attempts: Attempt[], campaign: string): void {
    attempts.sort((a, b) => a.time - b.time);
    for (const attempt of attempts) {
      const event = this.event(random, attempt, victim);
      this.events.push(event);
      if (random.chance(this.duplicateShare)) this.events.push(duplicateOf(random, event));
    }

    const failures = attempts.filter((attempt) => attempt.outcome !== SUCCESS);
    const places = new Set(attempts.map((attempt) => (attempt.source.place === null ? '' : attempt.source.place.city)));
    this.truth.push({
      user: victim.upn,
      kind,
      firstAttack: new Date(Math.floor(attempts[0].time)).toISOString(),
      lastAttack: new Date(Math.floor(attempts[attempts.length - 1].time)).toISOString(),
      attempts: failures.length,
      sourceIps: new Set(attempts.map((attempt) => attempt.source.ip)).size,
      locations: places.size,
      tables: [...new Set(attempts.map((attempt) => attempt.table))].sort(),
      succeeded: attempts.some((attempt) => attempt.outcome === SUCCESS),
      campaign,
    });
  }

  private event(random: Prng, attempt: Attempt, victim: TenantUser): SignInEvent {
    const created = Math.floor(attempt.time);
    const app = random.weighted(ATTACK_APPS);
    return {
      table: attempt.table,
      created,
      createdTicks: random.int(10_000),
      generated: created + attempt.delay + 15_000 + Math.floor(random.exponential(60_000)),
      generatedTicks: random.int(10_000),
      user: victim,
      upn: attempt.upn,
      ip: attempt.source.ip,
      place: attempt.source.place,
      outcome: attempt.outcome,
      app,
      device: attackDevice(random),
      id: random.guid(),
      correlationId: random.guid(),
      sessionId: '',
      tokenId: tokenIdentifier(random),
      mfa: false,
    };
  }
}

function capitalisedUpn(upn: string): string {
  return upn.replace(/(^|[.@_])([a-z])/g, (_match, separator: string, letter: string) => separator + letter.toUpperCase());
}
