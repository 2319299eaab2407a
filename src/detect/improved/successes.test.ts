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

const ATTACK_IPS = new Set(['203.0.113.77']);
const NO_LOCATIONS = new Set<string>();

test('finds the first success after', () => {
  const index = new SuccessIndex('city');
  index.add(success('late', 50n, '203.0.113.77'));
  index.add(success('early', 20n, '203.0.113.77'));

  const found = index.findAfter('harry.potter@hogwarts.com', 10n, ATTACK_IPS, NO_LOCATIONS);
  assert.equal(found?.Id, 'early');
  assert.deepEqual(found?.MatchedOn, ['IPAddress']);
});

test('success before the burst does not count', () => {
  const index = new SuccessIndex('city');
  index.add(success('before', 5n, '203.0.113.77'));
  assert.equal(index.findAfter('harry.potter@hogwarts.com', 10n, ATTACK_IPS, NO_LOCATIONS), null);
});

test('earlier success hides the first after', () => {
  // Only the earliest and latest success per address are kept, so with one before the burst the latest is reported.
  const index = new SuccessIndex('city');
  index.add(success('before', 5n, '203.0.113.77'));
  index.add(success('first-after', 20n, '203.0.113.77'));
  index.add(success('latest', 50n, '203.0.113.77'));
  assert.equal(index.findAfter('harry.potter@hogwarts.com', 10n, ATTACK_IPS, NO_LOCATIONS)?.Id, 'latest');
});

test('location match and case folding', () => {
  const index = new SuccessIndex('city');
  index.add(success('home', 30n, '192.0.2.1', 'HARRY.POTTER@HOGWARTS.COM'));
  const found = index.findAfter('harry.potter@hogwarts.com', 10n, ATTACK_IPS, new Set(['NG/Lagos/Lagos']));
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
  assert.equal(index.findAfter('harry.potter@hogwarts.com', 20n, ATTACK_IPS, NO_LOCATIONS)?.Id, 'newer');
  index.prune(100n);
  assert.equal(index.userCount, 0);
});
