import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTimestamp } from '../core/time.js';
import { isImprovedAlert, type ImprovedAlert } from '../detect/improved/alert.js';
import { toImprovedAlertRecord } from './improved-record.js';

const t = (text: string) => parseTimestamp(text);

function sampleAlert(): ImprovedAlert {
  const first = t('2025-04-12T09:00:00.1234567Z');
  const last = t('2025-04-12T11:55:00.1234602Z');
  return {
    Mode: 'improved',
    UserPrincipalName: 'harry.potter@hogwarts.com',
    Type: 'SigninLogs',
    StartTime: first,
    EndTime: last,
    LocationCount: 1,
    Location: ['BR/Sao Paulo/Sao Paulo'],
    IPAddress: ['203.0.113.10'],
    IPAddressCount: 1,
    AppDisplayName: ['Azure Portal'],
    ResultDescription: [],
    Browser: [],
    OS: [],
    SigninCount: 1,
    Name: 'harry.potter',
    UPNSuffix: 'hogwarts.com',
    WindowStart: first,
    WindowEnd: last + 1n,
    FirstTriggeredAt: last,
    Severity: 'High',
    LocationGranularity: 'city',
    SigninCountByTable: { SigninLogs: 1 },
    DuplicateRowCount: 0,
    UnknownLocationCount: 0,
    UserPrincipalNameVariants: ['Harry.Potter@hogwarts.com'],
    Tactics: ['CredentialAccess'],
    Techniques: ['T1110'],
    Entities: [{ Type: 'ip', Address: '203.0.113.10' }],
    Evidence: {
      Locations: [{ Location: 'BR/Sao Paulo/Sao Paulo', Known: true, Failures: 1, IPAddress: ['203.0.113.10'], FirstSeen: first, LastSeen: first }],
      IPAddresses: [{ IPAddress: '203.0.113.10', Failures: 1, Location: ['BR/Sao Paulo/Sao Paulo'], UserAgent: [], FirstSeen: first, LastSeen: first }],
      ResultTypes: [{ ResultType: '50126', Kind: 'invalid-credentials', Failures: 1 }],
      Failures: [],
      LaterSuccess: {
        TimeGenerated: last,
        Id: 'a',
        CorrelationId: 'b',
        Type: 'SigninLogs',
        UserPrincipalName: 'harry.potter@hogwarts.com',
        IPAddress: '203.0.113.10',
        Location: 'BR/Sao Paulo/Sao Paulo',
        AppDisplayName: 'Azure Portal',
        MatchedOn: ['IPAddress'],
        Source: { File: 'a.json', Line: 3, Index: 3 },
      },
      OtherUsers: [{ UserPrincipalName: 'ron.weasley@hogwarts.com', Failures: 2, IPAddress: ['203.0.113.10'], FirstSeen: first, LastSeen: last }],
    },
  };
}

test('improved record formats every time with 7 digits', () => {
  const record = toImprovedAlertRecord(sampleAlert());
  assert.equal(record.StartTime, '2025-04-12T09:00:00.1234567Z');
  assert.equal(record.WindowEnd, '2025-04-12T11:55:00.1234603Z');
  assert.equal(record.FirstTriggeredAt, '2025-04-12T11:55:00.1234602Z');
  assert.equal(record.Evidence.Locations[0].FirstSeen, '2025-04-12T09:00:00.1234567Z');
  assert.equal(record.Evidence.LaterSuccess?.TimeGenerated, '2025-04-12T11:55:00.1234602Z');
  assert.equal(record.Evidence.OtherUsers[0].LastSeen, '2025-04-12T11:55:00.1234602Z');
});

test('improved record survives JSON.stringify', () => {
  const text = JSON.stringify(toImprovedAlertRecord(sampleAlert()));
  const parsed = JSON.parse(text) as { Mode: string; Evidence: { IPAddresses: { FirstSeen: string }[] } };
  assert.equal(parsed.Mode, 'improved');
  assert.equal(parsed.Evidence.IPAddresses[0].FirstSeen, '2025-04-12T09:00:00.1234567Z');
});

test('isImprovedAlert tells the modes apart', () => {
  assert.equal(isImprovedAlert(sampleAlert()), true);
  assert.equal(isImprovedAlert({}), false);
});
