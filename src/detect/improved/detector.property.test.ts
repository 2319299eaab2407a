import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { emptySignIn, type SignIn } from '../../core/signin.js';
import { TICKS_PER_MINUTE } from '../../core/time.js';
import { resolveRuleConfig } from '../../rule/config.js';
import type { ParityAlert } from '../alert.js';
import { SlidingParityDetector } from '../sliding.js';
import { toImprovedAlertRecord } from '../../sinks/improved-record.js';
import type { ImprovedAlert } from './alert.js';
import { ImprovedDetector } from './detector.js';

const PLACES = [
  { city: 'Sao Paulo', state: 'Sao Paulo', countryOrRegion: 'BR' },
  { city: 'Lagos', state: 'Lagos', countryOrRegion: 'NG' },
  { city: 'Hanoi', state: 'Ha Noi', countryOrRegion: 'VN' },
  { city: 'Frankfurt am Main', state: 'Hesse', countryOrRegion: 'DE' },
];
const USERS = ['harry.potter@hogwarts.com', 'ron.weasley@hogwarts.com'];

interface Row {
  minute: number;
  user: number;
  place: number;
}

const rowArbitrary = fc.record({ minute: fc.integer({ min: 0, max: 3 * 24 * 60 }), user: fc.integer({ min: 0, max: 1 }), place: fc.integer({ min: 0, max: 3 }) });

function toSignIn(row: Row, index: number): SignIn {
  return {
    ...emptySignIn({ file: 'generated.json', line: index + 1, index: index + 1 }),
    TimeGenerated: 1_744_416_000n * 10_000_000n + BigInt(row.minute) * TICKS_PER_MINUTE,
    Type: 'SigninLogs',
    OperationName: 'Sign-in activity',
    ResultType: '50126',
    UserPrincipalName: USERS[row.user],
    IPAddress: `203.0.113.${row.place + 1}`,
    LocationDetails: PLACES[row.place],
    Id: `request-${index}`,
  };
}

const options = { window: 'sliding', failureThreshold: 6, locationThreshold: 2 };

test('improved equals parity on clean input', () => {
  // Unique Ids, one spelling, one table and known locations: nothing for improved mode to fix, so both
  // modes must find the same windows with the same counts.
  fc.assert(
    fc.property(fc.array(rowArbitrary, { maxLength: 60 }), (rows) => {
      const signIns = rows.map(toSignIn);
      const parity = new SlidingParityDetector(resolveRuleConfig({ ...options, mode: 'parity' }));
      const improved = new ImprovedDetector(resolveRuleConfig({ ...options, mode: 'improved' }));
      for (const signIn of signIns) {
        parity.add(signIn);
        improved.add(signIn);
      }
      const summary = (alert: ParityAlert | ImprovedAlert) => [alert.UserPrincipalName, alert.StartTime, alert.EndTime, alert.SigninCount, alert.LocationCount, alert.FirstTriggeredAt];
      assert.deepEqual(improved.finish().map(summary), parity.finish().map(summary));
    }),
    { numRuns: 200 },
  );
});

test('improved alerts ignore input order and repeats', () => {
  fc.assert(
    fc.property(fc.array(rowArbitrary, { maxLength: 60 }), fc.infiniteStream(fc.nat()), (rows, stream) => {
      const signIns = rows.map(toSignIn);
      const repeated = [...signIns, ...signIns.filter((_, index) => index % 3 === 0)];
      const shuffled = repeated.map((signIn) => ({ signIn, order: stream.next().value })).sort((a, b) => a.order - b.order).map((entry) => entry.signIn);

      const records = (input: SignIn[]) => {
        const detector = new ImprovedDetector(resolveRuleConfig({ ...options, mode: 'improved' }));
        for (const signIn of input) detector.add(signIn);
        return detector.finish().map(toImprovedAlertRecord);
      };
      assert.deepEqual(records(shuffled), records(repeated));

      const run = (input: SignIn[]) => {
        const detector = new ImprovedDetector(resolveRuleConfig({ ...options, mode: 'improved' }));
        for (const signIn of input) detector.add(signIn);
        return detector.finish().map((alert) => {
          const record = toImprovedAlertRecord(alert);
          // Which repeat of a row was read first is not part of the result; the rows themselves are.
          return { ...record, DuplicateRowCount: 0, Evidence: { ...record.Evidence, Failures: record.Evidence.Failures.map((failure) => ({ ...failure, Rows: [] })) } };
        });
      };
      assert.deepEqual(run(shuffled), run(signIns));
    }),
    { numRuns: 200 },
  );
});
