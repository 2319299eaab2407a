import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySignIn, type SignIn } from '../../core/signin.js';
import { resolveRuleConfig } from '../../rule/config.js';
import { CandidateUserCounter } from './candidate-users.js';
import { ImprovedDetector } from './detector.js';

const RULE = resolveRuleConfig({ mode: 'improved' });

function row(upn: string, resultType: string, index: number, ipAddress = '203.0.113.77'): SignIn {
  return {
    ...emptySignIn({ file: 'a.json', line: index, index }),
    TimeGenerated: 1_000_000_000n + BigInt(index) * 10_000_000n,
    Type: 'SigninLogs',
    OperationName: 'Sign-in activity',
    ResultType: resultType,
    UserPrincipalName: upn,
    IPAddress: ipAddress,
    Id: `id-${index}`,
  };
}

test('candidates have more counted rows than the threshold', () => {
  const counter = new CandidateUserCounter(RULE);
  // 31 counted rows across two spellings of one user, 30 for another, and successes that do not count.
  for (let i = 0; i < 31; i++) counter.add(row(i % 2 === 0 ? 'Harry@Hogwarts.com' : 'harry@hogwarts.com', '50126', i));
  for (let i = 0; i < 30; i++) counter.add(row('ron@hogwarts.com', '50126', 100 + i));
  for (let i = 0; i < 40; i++) counter.add(row('ginny@hogwarts.com', '0', 200 + i));
  assert.deepEqual([...counter.candidates()], ['harry@hogwarts.com']);
});

test('successes kept only for the given users', () => {
  const detector = new ImprovedDetector(RULE, { successUsers: new Set(['harry@hogwarts.com']) });
  detector.add(row('Harry@hogwarts.com', '0', 1));
  detector.add(row('ron@hogwarts.com', '0', 2));
  assert.equal((detector.snapshot() as { successUsers: number }).successUsers, 1);
});
