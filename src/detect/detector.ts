import type { SignIn } from '../core/signin.js';
import type { Ticks } from '../core/time.js';
import type { RuleConfig } from '../rule/config.js';
import type { ParityAlert } from './alert.js';
import type { ImprovedAlert } from './improved/alert.js';
import type { FilterOutcome } from './rule-filter.js';

/** An alert of either mode; improved alerts carry `Mode: 'improved'`, parity alerts no Mode. */
export type Alert = ParityAlert | ImprovedAlert;

/**
 * An incremental detection operator: fed one sign-in at a time, in any order, it returns alerts when a
 * watermark passes the end of their window or when input ends. Its state is plain data, so a live
 * monitor can checkpoint it. The same input in any order gives the same alerts.
 */
export interface Detector {
  readonly rule: RuleConfig;
  /** Offers one sign-in; returns how the rule's filters classified it. */
  add(signIn: SignIn): FilterOutcome;
  /** Returns the alerts of every window that ends at or before `watermark`, and forgets their state. */
  advanceWatermark(watermark: Ticks): Alert[];
  /** Returns the alerts of all remaining windows; call once when input ends. */
  finish(): Alert[];
  /** Returns the state as JSON-safe data. */
  snapshot(): unknown;
  /**
   * Returns the ResultType codes of every record that can change the alerts, or null (also when absent)
   * when any record can. With a set, the pipeline may pass over records with other codes unparsed, and
   * may split input among threads that hand over only the records with these codes.
   */
  relevantResultTypes?(): ReadonlySet<string> | null;
  /**
   * Returns the case-folded UPNs whose successful sign-ins can change the alerts, when the alerts depend only
   * on the records the rule counts and on those successes. Returns null (also when absent) otherwise. With a
   * set, the pipeline may split input among threads that hand over only those records.
   */
  relevantSuccessUsers?(): ReadonlySet<string> | null;
}
