/**
 * Scores a detection run against a generated tenant's ground truth: per attack kind, attacks caught and
 * missed and the delay from the attack's first sign-in to the alert; and alerts on users never attacked.
 */
import { ATTACK_KINDS, type AttackKind, type GroundTruth } from '../generate/attacks.js';

/** An alert reduced to who it names and when a live deployment would have raised it. */
export interface ScoredAlert {
  readonly user: string;
  /** When the alert would be raised, ms since the epoch. */
  readonly raisedAt: number;
  /** First and last failure the alert covers (its StartTime and EndTime), ms since the epoch. */
  readonly start: number;
  readonly end: number;
}

/**
 * Slack after an attack's last sign-in within which an alert's events may still be the attack's: the
 * generator delivers late records up to 28 hours after they happen.
 */
const DELIVERY_SLACK_MS = 30 * 3_600_000;

export interface KindScore {
  caught: number;
  missed: number;
  /** Minutes from the attack's first sign-in to its first alert, for the attacks caught. */
  delaysMinutes: number[];
}

export interface RunScore {
  readonly kinds: Record<AttackKind, KindScore>;
  /** Alerts naming a user with no labelled attack. */
  readonly falseAlerts: number;
  readonly falseAlertUsers: number;
  /** `${campaign}\u0000${user}` of every attack caught, to compare modes attack by attack. */
  readonly caughtAttacks: ReadonlySet<string>;
}

/** UPNs compare case-insensitively here: an alert on "ALICE@X.COM" is about alice@x.com. */
function userKey(upn: string): string {
  return upn.toLowerCase();
}

export function attackKey(truth: GroundTruth): string {
  return `${truth.campaign}\u0000${userKey(truth.user)}`;
}

/**
 * Matches alerts to attacks. An attack counts as caught when an alert names its user and covers failures
 * between the attack's first sign-in and its last plus the delivery slack. An alert about other failures of
 * the same user in that span (a benign burst on the same day) still counts, because telling them apart
 * would need the alert's record ids.
 */
export function scoreRun(truth: readonly GroundTruth[], alerts: readonly ScoredAlert[]): RunScore {
  const kinds = Object.fromEntries(ATTACK_KINDS.map((kind) => [kind, { caught: 0, missed: 0, delaysMinutes: [] }])) as unknown as Record<AttackKind, KindScore>;
  const alertsByUser = new Map<string, ScoredAlert[]>();
  for (const alert of alerts) {
    const key = userKey(alert.user);
    if (!alertsByUser.has(key)) alertsByUser.set(key, []);
    alertsByUser.get(key)!.push(alert);
  }

  const attacked = new Set<string>();
  const caughtAttacks = new Set<string>();
  for (const attack of truth) {
    attacked.add(userKey(attack.user));
    const first = Date.parse(attack.firstAttack);
    const last = Date.parse(attack.lastAttack) + DELIVERY_SLACK_MS;
    const raised = (alertsByUser.get(userKey(attack.user)) ?? [])
      .filter((alert) => alert.end >= first && alert.start <= last)
      .map((alert) => alert.raisedAt);
    const score = kinds[attack.kind];
    if (raised.length === 0) {
      score.missed++;
      continue;
    }
    score.caught++;
    score.delaysMinutes.push((Math.min(...raised) - first) / 60_000);
    caughtAttacks.add(attackKey(attack));
  }

  let falseAlerts = 0;
  let falseAlertUsers = 0;
  for (const [user, times] of alertsByUser) {
    if (attacked.has(user)) continue;
    falseAlerts += times.length;
    falseAlertUsers++;
  }
  return { kinds, falseAlerts, falseAlertUsers, caughtAttacks };
}

/** Returns the median of `values`, or null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
