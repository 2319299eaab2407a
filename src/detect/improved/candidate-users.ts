import type { SignIn } from '../../core/signin.js';
import type { RuleConfig } from '../../rule/config.js';
import type { Alert, Detector } from '../detector.js';
import { classifyRecord, type FilterOutcome } from '../rule-filter.js';
import { foldUpn } from './attempt.js';

/**
 * The first of the two passes of an improved scan: counts the rows the rule counts per case-folded UPN, to
 * find the users who can raise an alert at all. A user with no more counted rows than the failure threshold
 * in the whole input cannot have more de-duplicated attempts than it in any window. The second pass keeps
 * successful sign-ins only for the users found here, so that memory follows the attacked users, not the
 * tenant. Only counted codes matter, so this pass lets the pre-filter and threads work.
 */
export class CandidateUserCounter implements Detector {
  private readonly counts = new Map<string, number>();

  constructor(readonly rule: RuleConfig) {}

  add(signIn: SignIn): FilterOutcome {
    const outcome = classifyRecord(signIn, this.rule);
    if (outcome === 'counted') {
      const user = foldUpn(signIn.UserPrincipalName);
      this.counts.set(user, (this.counts.get(user) ?? 0) + 1);
    }
    return outcome;
  }

  advanceWatermark(): Alert[] {
    return [];
  }

  finish(): Alert[] {
    return [];
  }

  snapshot(): unknown {
    return { kind: 'candidate-users', users: this.counts.size };
  }

  relevantResultTypes(): ReadonlySet<string> {
    return this.rule.resultTypes;
  }

  /** Returns the case-folded UPNs with more counted rows than the failure threshold. */
  candidates(): Set<string> {
    const users = new Set<string>();
    for (const [user, count] of this.counts) if (count > this.rule.failureThreshold) users.add(user);
    return users;
  }
}
