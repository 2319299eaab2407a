import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dynamicSetKey, getProperty, kqlToString, setToJsonText, splitUpn, toDynamic } from './kql.js';

test('toDynamic follows parse_json', () => {
  assert.deepEqual(toDynamic('{"city":"Paris"}'), { city: 'Paris' });
  assert.deepEqual(toDynamic({ city: 'Paris' }), { city: 'Paris' });
  assert.equal(toDynamic(''), null);
  assert.equal(toDynamic(undefined), null);
  assert.equal(toDynamic('not json'), 'not json');
  assert.equal(toDynamic('[object Object]'), '[object Object]');
  assert.deepEqual(toDynamic('[]'), []);
});

test('kqlToString follows tostring', () => {
  assert.equal(kqlToString(null), '');
  assert.equal(kqlToString('Paris'), 'Paris');
  assert.equal(kqlToString(123), '123');
  assert.equal(kqlToString(true), 'true');
  assert.equal(kqlToString({ a: 1 }), '{"a":1}');
  assert.equal(kqlToString(['x']), '["x"]');
});

test('getProperty is null off a property bag', () => {
  assert.equal(getProperty('text', 'city'), null);
  assert.equal(getProperty(null, 'city'), null);
  assert.equal(getProperty(['a'], 'city'), null);
  assert.equal(getProperty({ City: 'x' }, 'city'), null, 'keys are case-sensitive');
  assert.equal(getProperty({ city: '' }, 'city'), '');
});

test('splitUpn gives Name and UPNSuffix', () => {
  const cases: [string, string, string][] = [
    ['alice@contoso.com', 'alice', 'contoso.com'],
    ['alice', 'alice', ''],
    ['a@b@c.com', 'a', 'b'],
    ['alice@', 'alice', ''],
    ['@contoso.com', '', 'contoso.com'],
    ['', '', ''],
    ['user_contoso.com#EXT#@tenant.onmicrosoft.com', 'user_contoso.com#EXT#', 'tenant.onmicrosoft.com'],
  ];
  for (const [upn, name, suffix] of cases) {
    assert.deepEqual(splitUpn(upn), { Name: name, UPNSuffix: suffix }, upn);
  }
});

test('set JSON text is compact and escaped', () => {
  assert.equal(setToJsonText([]), '[]');
  assert.equal(setToJsonText(['US/WA/Seattle', '//']), '["US/WA/Seattle","//"]');
  assert.equal(setToJsonText(['a"b\\c\n\u0001', 'São Paulo']), '["a\\"b\\\\c\\n\\u0001","São Paulo"]');
});

test('set keys tell types apart', () => {
  assert.notEqual(dynamicSetKey('1'), dynamicSetKey(1));
  assert.equal(dynamicSetKey('x'), dynamicSetKey('x'));
});
