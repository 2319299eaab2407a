import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySignIn, type SignIn } from '../../core/signin.js';
import { SuccessIndex } from './successes.js';

const LAGOS = { city: 'Lagos', state: 'Lagos', countryOrRegion: 'NG' };

function success(id: string, time: bigint, ipAddress: string, upn = 'Harry.Potter@hogwarts.com'): SignIn {
  return {
    ...emptySignIn({ file: 'a.json', line: Number(time), index: Number(time) }),
    TimeGenerated: time,
    Type: 'SigninLogs',
    ResultType: '0',
    UserPrincipalName: upn,
    IPAddress: ipAddress,
    LocationDetails: LAGOS,
    Id: id,
  };
}

/** The attacking address, whose first failure was at tick 10. */
const ATTACK_IPS = new Map([['203.0.113.77', 10n]]);
const NO_LOCATIONS = new Map<string, bigint>();

test('finds the first success after', () => {
  const index = new SuccessIndex('city');
  index.add(success('late', 50n, '203.0.113.77'));
  index.add(success('early', 20n, '203.0.113.77'));

  const found = index.findAfter('harry.potter@hogwarts.com', ATTACK_IPS, NO_LOCATIONS);
  assert.equal(found?.Id, 'early');
  assert.deepEqual(found?.MatchedOn, ['IPAddress']);
});

test('success before the burst does not count', () => {
  const index = new SuccessIndex('city');
  index.add(success('before', 5n, '203.0.113.77'));
  assert.equal(index.findAfter('harry.potter@hogwarts.com', ATTACK_IPS, NO_LOCATIONS), null);
});

test('earlier success hides the first after', () => {
  // Only the earliest and latest success per address are kept, so with one before the failures the latest is reported.
  const index = new SuccessIndex('city');
  index.add(success('before', 5n, '203.0.113.77'));
  index.add(success('first-after', 20n, '203.0.113.77'));
  index.add(success('latest', 50n, '203.0.113.77'));
  assert.equal(index.findAfter('harry.potter@hogwarts.com', ATTACK_IPS, NO_LOCATIONS)?.Id, 'latest');
});

test('success is later than its own address failure', () => {
  // Two attacking addresses, the second first failing at tick 100.
  const attacking = new Map([
    ['203.0.113.77', 10n],
    ['198.51.100.9', 100n],
  ]);
  const before = new SuccessIndex('city');
  before.add(success('between', 50n, '198.51.100.9'));
  assert.equal(before.findAfter('harry.potter@hogwarts.com', attacking, NO_LOCATIONS), null, 'the success came before that address failed');

  const after = new SuccessIndex('city');
  after.add(success('later', 120n, '198.51.100.9'));
  assert.equal(after.findAfter('harry.potter@hogwarts.com', attacking, NO_LOCATIONS)?.Id, 'later');
});

test('location match and case folding', () => {
  const index = new SuccessIndex('city');
  index.add(success('home', 30n, '192.0.2.1', 'HARRY.POTTER@HOGWARTS.COM'));
  const found = index.findAfter('harry.potter@hogwarts.com', ATTACK_IPS, new Map([['NG/Lagos/Lagos', 10n]]));
  assert.equal(found?.Id, 'home');
  assert.deepEqual(found?.MatchedOn, ['Location']);
});

test('prune forgets old successes', () => {
  const index = new SuccessIndex('city');
  index.add(success('old', 5n, '203.0.113.77'));
  index.add(success('other-user', 5n, '203.0.113.77', 'ron@hogwarts.com'));
  index.add(success('newer', 40n, '203.0.113.77'));
  index.prune(10n);

  assert.equal(index.userCount, 1);
  assert.equal(index.findAfter('harry.potter@hogwarts.com', new Map([['203.0.113.77', 20n]]), NO_LOCATIONS)?.Id, 'newer');
  index.prune(100n);
  assert.equal(index.userCount, 0);
});
