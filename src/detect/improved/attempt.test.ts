import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySignIn, type SignIn } from '../../core/signin.js';
import { attemptKey, failureKind, foldUpn, locationKey } from './attempt.js';

function signIn(fields: Partial<SignIn>): SignIn {
  return { ...emptySignIn({ file: 'a.json', line: 1, index: 1 }), ...fields };
}

test('locationKey by granularity', () => {
  const full = { countryOrRegion: 'US', state: 'Washington', city: 'Redmond' };
  assert.equal(locationKey(full, 'city'), 'US/Washington/Redmond');
  assert.equal(locationKey(full, 'state'), 'US/Washington');
  assert.equal(locationKey(full, 'country'), 'US');
});

test('locationKey rejects empty and partial', () => {
  assert.equal(locationKey({ geoCoordinates: {} }, 'country'), null);
  assert.equal(locationKey(null, 'city'), null);
  assert.equal(locationKey({ countryOrRegion: 'US', state: '', city: '' }, 'city'), null);
  assert.equal(locationKey({ countryOrRegion: 'US', state: 'Washington', city: '' }, 'city'), null);
  assert.equal(locationKey({ countryOrRegion: 'US', state: '', city: '' }, 'state'), null);
  assert.equal(locationKey({ countryOrRegion: '', state: 'Hesse', city: 'Frankfurt' }, 'city'), null);
});

test('locationKey accepts a city without state', () => {
  assert.equal(locationKey({ countryOrRegion: 'FR', city: 'Paris' }, 'city'), 'FR//Paris');
});

test('attemptKey prefers Id, then OriginalRequestId', () => {
  assert.equal(attemptKey(signIn({ Id: 'a', OriginalRequestId: 'b', CorrelationId: 'c' })), 'id:a');
  assert.equal(attemptKey(signIn({ OriginalRequestId: 'b', CorrelationId: 'c' })), 'id:b');
});

test('attemptKey never uses CorrelationId alone', () => {
  const first = signIn({ CorrelationId: 'c', TimeGenerated: 1n, IPAddress: '203.0.113.1' });
  const second = signIn({ CorrelationId: 'c', TimeGenerated: 2n, IPAddress: '203.0.113.1' });
  assert.notEqual(attemptKey(first), attemptKey(second));
  assert.equal(attemptKey(first), attemptKey({ ...first, Source: { file: 'b.json', line: 9, index: 9 } }));
});

test('failureKind splits 50053 by reason', () => {
  const locked = 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.';
  const malicious = 'Sign-in was blocked because it came from an IP address with malicious activity';
  assert.equal(failureKind(signIn({ ResultType: '50053', ResultDescription: locked })), 'account-locked');
  assert.equal(failureKind(signIn({ ResultType: '50053', ResultDescription: malicious })), 'malicious-ip');
  assert.equal(failureKind(signIn({ ResultType: '50053', Status: { failureReason: malicious } })), 'malicious-ip');
  assert.equal(failureKind(signIn({ ResultType: '50053' })), 'locked-or-blocked');
  assert.equal(failureKind(signIn({ ResultType: '50126' })), 'invalid-credentials');
  assert.equal(failureKind(signIn({ ResultType: '50055' })), 'password-expired');
  assert.equal(failureKind(signIn({ ResultType: '50056' })), 'no-password');
});

test('foldUpn lowers case', () => {
  assert.equal(foldUpn('Harry.Potter@Hogwarts.com'), 'harry.potter@hogwarts.com');
});
