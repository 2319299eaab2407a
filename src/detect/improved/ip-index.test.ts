import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Attempt } from './attempt.js';
import { IpAddressIndex } from './ip-index.js';

function attempt(key: string, time: bigint, ipAddress: string, upn: string): Attempt {
  return {
    key,
    time,
    timeGenerated: time,
    fields: {
      Id: key,
      OriginalRequestId: '',
      CorrelationId: '',
      Type: 'SigninLogs',
      UserPrincipalName: upn,
      ResultType: '50126',
      ResultDescription: '',
      IPAddress: ipAddress,
      AppDisplayName: '',
      UserAgent: '',
      browser: null,
      os: null,
    },
    location: null,
    locationString: '//',
    country: '',
    coordinates: null,
    kind: 'invalid-credentials',
    rows: [],
  };
}

test('counts window bounds inclusively', () => {
  const index = new IpAddressIndex();
  for (const [key, time] of [['a', 30n], ['b', 10n], ['c', 20n], ['d', 40n]] as const) index.add('203.0.113.1', 'ron', attempt(key, time, '203.0.113.1', 'ron'));
  index.add('203.0.113.1', 'harry', attempt('h', 20n, '203.0.113.1', 'harry'));

  const found = index.findOtherUsers('harry', new Set(['203.0.113.1']), 20n, 30n);
  assert.deepEqual(found, [{ UserPrincipalName: 'ron', Failures: 2, IPAddress: ['203.0.113.1'], FirstSeen: 20n, LastSeen: 30n }]);
});

test('sums one user over addresses', () => {
  const index = new IpAddressIndex();
  index.add('203.0.113.2', 'ron', attempt('a', 5n, '203.0.113.2', 'ron'));
  index.add('203.0.113.1', 'ron', attempt('b', 9n, '203.0.113.1', 'ron'));
  index.add('203.0.113.3', 'ron', attempt('c', 7n, '203.0.113.3', 'ron'));

  const found = index.findOtherUsers('harry', new Set(['203.0.113.1', '203.0.113.2']), 0n, 100n);
  assert.deepEqual(found, [{ UserPrincipalName: 'ron', Failures: 2, IPAddress: ['203.0.113.1', '203.0.113.2'], FirstSeen: 5n, LastSeen: 9n }]);
});

test('moved attempt leaves old address', () => {
  const index = new IpAddressIndex();
  const moved = attempt('a', 5n, '203.0.113.1', 'ron');
  index.add('203.0.113.1', 'ron', moved);
  moved.fields = { ...moved.fields, IPAddress: '203.0.113.2' };
  index.touch('203.0.113.1', 'ron');
  index.add('203.0.113.2', 'ron', moved);

  assert.deepEqual(index.findOtherUsers('harry', new Set(['203.0.113.1']), 0n, 100n), []);
  assert.equal(index.findOtherUsers('harry', new Set(['203.0.113.2']), 0n, 100n)[0].Failures, 1);
});

test('prune drops attempts no longer retained', () => {
  const index = new IpAddressIndex();
  const old = attempt('a', 5n, '203.0.113.1', 'ron');
  const recent = attempt('b', 50n, '203.0.113.1', 'ron');
  index.add('203.0.113.1', 'ron', old);
  index.add('203.0.113.1', 'ron', recent);
  index.prune((candidate) => candidate !== old);

  assert.equal(index.findOtherUsers('harry', new Set(['203.0.113.1']), 0n, 100n)[0].Failures, 1);
  index.prune(() => false);
  assert.deepEqual(index.findOtherUsers('harry', new Set(['203.0.113.1']), 0n, 100n), []);
});
