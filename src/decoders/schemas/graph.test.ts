import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTicks, DEFAULT_TIME_OPTIONS } from '../../core/time.js';
import { mapGraphPowerShellSignIn, looksLikeGraphPowerShellSignIn } from './graph-powershell.js';
import { looksLikeGraphSignIn, mapGraphSignIn } from './graph.js';
import { detectSchema } from './registry.js';
import type { MapContext, MapResult } from './result.js';

const SOURCE = { file: 'test.json', line: 1, index: 1 };
const CONTEXT: MapContext = { time: DEFAULT_TIME_OPTIONS, tableHint: null };

// Shaped like the admin center's JSON download (whole-second createdDateTime, "Other." on success).
const FAILURE = {
  id: '012836e1-1e7b-4750-a098-7957febf4e00',
  createdDateTime: '2026-06-02T23:02:03Z',
  userPrincipalName: 'cfisher@example.com',
  appDisplayName: 'Microsoft Office',
  ipAddress: '203.0.113.5',
  isInteractive: true,
  signInEventTypes: ['interactiveUser'],
  status: { errorCode: 50126, failureReason: 'Invalid username or password.', additionalDetails: null },
  deviceDetail: { deviceId: '', operatingSystem: 'Windows10', browser: 'Edge 18.26200' },
  location: { city: 'Tempe', state: 'Arizona', countryOrRegion: 'US', geoCoordinates: { latitude: 33.4, longitude: -111.9 } },
};

function ok(result: MapResult) {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.signIn;
}

describe('Graph signIn mapping', () => {
  it('derives the Log Analytics columns', () => {
    const signIn = ok(mapGraphSignIn(FAILURE, SOURCE, CONTEXT));
    assert.equal(formatTicks(signIn.TimeGenerated), '2026-06-02T23:02:03.0000000Z');
    assert.equal(signIn.OperationName, 'Sign-in activity');
    assert.equal(signIn.ResultType, '50126');
    assert.equal(signIn.ResultDescription, 'Invalid username or password.');
    assert.equal(signIn.Type, 'SigninLogs');
    assert.equal(signIn.UserPrincipalName, 'cfisher@example.com');
    assert.deepEqual(signIn.LocationDetails, FAILURE.location);
    assert.equal(signIn.CorruptedFields, null);
  });

  it('takes the table from signInEventTypes, then isInteractive, then the hint', () => {
    const { signInEventTypes: _types, ...v1 } = FAILURE;
    assert.equal(ok(mapGraphSignIn({ ...FAILURE, signInEventTypes: ['nonInteractiveUser'], isInteractive: true }, SOURCE, CONTEXT)).Type, 'AADNonInteractiveUserSignInLogs');
    assert.equal(ok(mapGraphSignIn({ ...v1, isInteractive: false }, SOURCE, CONTEXT)).Type, 'AADNonInteractiveUserSignInLogs');
    const { isInteractive: _interactive, ...bare } = v1;
    assert.equal(ok(mapGraphSignIn(bare, SOURCE, { ...CONTEXT, tableHint: 'AADNonInteractiveUserSignInLogs' })).Type, 'AADNonInteractiveUserSignInLogs');
    const unknown = mapGraphSignIn(bare, SOURCE, CONTEXT);
    assert.ok(!unknown.ok);
    assert.equal(unknown.reason, 'unknown-table');
    assert.match(unknown.message, /--table/);
  });

  it('skips application sign-ins by category', () => {
    for (const [types, category] of [[['servicePrincipal'], 'ServicePrincipalSignInLogs'], [['managedIdentity'], 'ManagedIdentitySignInLogs']] as const) {
      const result = mapGraphSignIn({ ...FAILURE, signInEventTypes: types }, SOURCE, CONTEXT);
      assert.ok(!result.ok);
      assert.equal(result.reason, 'other-category');
      assert.equal(result.detail, category);
    }
    const { signInEventTypes: _types, userPrincipalName: _upn, ...application } = FAILURE;
    const v1 = mapGraphSignIn({ ...application, isInteractive: false, servicePrincipalName: 'Backup job' }, SOURCE, CONTEXT);
    assert.equal(v1.ok, false);
    assert.equal(!v1.ok && v1.detail, 'ServicePrincipalSignInLogs');
    const named = mapGraphSignIn({ ...FAILURE, signInEventTypes: undefined }, SOURCE, { ...CONTEXT, tableHint: 'AADManagedIdentitySignInLogs' });
    assert.equal(named.ok, false);
    assert.equal(!named.ok && named.detail, 'ManagedIdentitySignInLogs');
  });

  it('marks flattened objects and never reads them as places', () => {
    const signIn = ok(mapGraphSignIn({ ...FAILURE, location: '[object Object]', status: '@{errorCode=50126}' }, SOURCE, CONTEXT));
    assert.deepEqual(signIn.CorruptedFields, ['Status', 'LocationDetails']);
    assert.equal(signIn.LocationDetails, null);
    assert.equal(signIn.ResultType, '');
  });

  it('rejects a missing or non-text createdDateTime', () => {
    const missing = mapGraphSignIn({ ...FAILURE, createdDateTime: null }, SOURCE, CONTEXT);
    assert.equal(missing.ok, false);
    assert.equal(!missing.ok && missing.reason, 'missing-timestamp');
    const number = mapGraphSignIn({ ...FAILURE, createdDateTime: 1744388220 }, SOURCE, CONTEXT);
    assert.equal(number.ok, false);
    assert.equal(!number.ok && number.reason, 'invalid-timestamp');
    const local = mapGraphSignIn({ ...FAILURE, createdDateTime: '2026-06-02T23:02:03' }, SOURCE, CONTEXT);
    assert.equal(local.ok, false);
    assert.match(local.ok ? '' : local.message, /--time-zone/);
  });
});

describe('PowerShell SDK mapping', () => {
  const sdk = {
    Id: FAILURE.id,
    CreatedDateTime: '/Date(1780441323000)/',
    UserPrincipalName: 'cfisher@example.com',
    AppDisplayName: 'Microsoft Office',
    IPAddress: '203.0.113.5',
    IsInteractive: false,
    Status: { ErrorCode: 50053, FailureReason: 'Account is locked.', AdditionalDetails: null, AdditionalProperties: {} },
    Location: { City: 'Tempe', State: 'Arizona', CountryOrRegion: 'US', GeoCoordinates: {}, AdditionalProperties: {} },
    DeviceDetail: { Browser: 'Edge', OperatingSystem: 'Windows10', AdditionalProperties: {} },
    AdditionalProperties: { signInEventTypes: ['nonInteractiveUser'] },
  };

  it('maps PascalCase and AdditionalProperties', () => {
    assert.ok(looksLikeGraphPowerShellSignIn(sdk));
    assert.equal(detectSchema(sdk)?.name, 'graph-powershell');
    const signIn = ok(mapGraphPowerShellSignIn(sdk, SOURCE, CONTEXT));
    assert.equal(formatTicks(signIn.TimeGenerated), '2026-06-02T23:02:03.0000000Z');
    assert.equal(signIn.ResultType, '50053');
    assert.equal(signIn.IPAddress, '203.0.113.5');
    assert.equal(signIn.Type, 'AADNonInteractiveUserSignInLogs');
    assert.deepEqual(signIn.LocationDetails, { city: 'Tempe', state: 'Arizona', countryOrRegion: 'US', geoCoordinates: {} });
    assert.deepEqual(signIn.DeviceDetail, { browser: 'Edge', operatingSystem: 'Windows10' });
  });

  it('is told apart from Log Analytics rows and Graph objects', () => {
    assert.equal(detectSchema({ TimeGenerated: 'x', CreatedDateTime: 'x', UserPrincipalName: 'u', Status: {} })?.name, 'log-analytics');
    assert.equal(detectSchema(FAILURE)?.name, 'graph');
    assert.ok(looksLikeGraphSignIn(FAILURE));
    assert.ok(!looksLikeGraphPowerShellSignIn(FAILURE));
  });
});
