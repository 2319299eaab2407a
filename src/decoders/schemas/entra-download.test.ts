import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTicks, DEFAULT_TIME_OPTIONS } from '../../core/time.js';
import { normalizeCsvHeader } from '../decode.js';
import { tableFromFileName } from '../file-table.js';
import { looksLikeEntraDownloadRow, mapEntraDownloadRow, splitCombinedLocation } from './entra-download.js';
import { relayedRecordText } from './relay.js';
import type { MapResult } from './result.js';
import type { SignIn } from '../../core/signin.js';

function expectOk(result: MapResult): SignIn {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.signIn;
}

function expectSkip(result: MapResult): { reason: string; message: string; detail?: string } {
  assert.ok(!result.ok, 'expected the row to be skipped');
  return result;
}

const SOURCE = { file: 'InteractiveSignIns_2025-12-01_2025-12-04.csv', line: 2, index: 1 };

function row(header: string[], values: string[]): Record<string, string> {
  const names = normalizeCsvHeader(header);
  return Object.fromEntries(names.map((name, i) => [name, values[i] ?? '']));
}

const HEADER = ['Date (UTC)', 'Request ID', 'User', 'Username', 'Application ', 'Application ID ', 'IP address', 'Location', 'Status', 'Sign-in error code', 'Failure reason', 'Browser', 'Operating System', 'Autonomous system  number', 'Incoming token type', 'Incoming token type'];

describe('admin-center download rows', () => {
  it('splits the combined location from the right', () => {
    assert.deepEqual(splitCombinedLocation('Melbourne, Victoria, AU'), { city: 'Melbourne', state: 'Victoria', countryOrRegion: 'AU' });
    assert.deepEqual(splitCombinedLocation('Washington, D.C., District of Columbia, US'), { city: 'Washington, D.C.', state: 'District of Columbia', countryOrRegion: 'US' });
    assert.deepEqual(splitCombinedLocation('Paris, , FR'), { city: 'Paris', state: '', countryOrRegion: 'FR' });
    assert.deepEqual(splitCombinedLocation('FR'), { city: '', state: '', countryOrRegion: 'FR' });
    assert.deepEqual(splitCombinedLocation('  '), { city: '', state: '', countryOrRegion: '' });
  });

  it('reads display-name headers with stray spaces and duplicates', () => {
    const values = ['2025-12-04T08:19:41Z', 'req-1', 'Chris', 'chris@example.com', 'Azure Portal', 'c44b4083', '203.0.113.9', 'Melbourne, Victoria, AU', 'Failure', '50126', 'Invalid username or password.', 'Chrome 140', 'Windows 10', '1221', 'none', 'primaryRefreshToken'];
    const data = row(HEADER, values);
    assert.ok(looksLikeEntraDownloadRow(data));
    const result = mapEntraDownloadRow(data, SOURCE, { time: DEFAULT_TIME_OPTIONS, tableHint: tableFromFileName(SOURCE.file) });
    assert.ok(result.ok);
    const signIn = result.signIn;
    assert.equal(formatTicks(signIn.TimeGenerated), '2025-12-04T08:19:41.0000000Z');
    assert.equal(signIn.Type, 'SigninLogs');
    assert.equal(signIn.OperationName, 'Sign-in activity');
    assert.equal(signIn.ResultType, '50126');
    assert.equal(signIn.UserPrincipalName, 'chris@example.com');
    assert.equal(signIn.AppDisplayName, 'Azure Portal');
    assert.deepEqual(signIn.LocationDetails, { city: 'Melbourne', state: 'Victoria', countryOrRegion: 'AU' });
    assert.equal((signIn.DeviceDetail as Record<string, unknown>).browser, 'Chrome 140');
  });

  it('reads "Date (UTC)" without a zone as UTC but never guesses day and month', () => {
    const base = ['', 'req-1', 'Chris', 'chris@example.com', 'Azure Portal', '', '203.0.113.9', '', 'Success', '', '', '', '', '', '', ''];
    const context = { time: DEFAULT_TIME_OPTIONS, tableHint: 'SigninLogs' };
    const clear = expectOk(mapEntraDownloadRow(row(HEADER, ['13/01/2024 10:11:12', ...base.slice(1)]), SOURCE, context));
    assert.equal(formatTicks(clear.TimeGenerated), '2024-01-13T10:11:12.0000000Z');
    assert.equal(clear.ResultType, '0', 'success without a code is 0');
    assert.equal(clear.LocationDetails, null);
    const ambiguous = expectSkip(mapEntraDownloadRow(row(HEADER, ['05/01/2024 10:11:12', ...base.slice(1)]), SOURCE, context));
    assert.match(ambiguous.message, /--time-format mdy or dmy/);
  });

  it('needs a table from the name or --table', () => {
    const data = row(HEADER, ['2025-12-04T08:19:41Z', 'req-1', 'Chris', 'chris@example.com']);
    const result = expectSkip(mapEntraDownloadRow(data, SOURCE, { time: DEFAULT_TIME_OPTIONS, tableHint: null }));
    assert.equal(result.reason, 'unknown-table');
    const application = expectSkip(mapEntraDownloadRow(data, SOURCE, { time: DEFAULT_TIME_OPTIONS, tableHint: tableFromFileName('ApplicationSignIns_2025.csv') }));
    assert.equal(application.reason, 'other-category');
    assert.equal(application.detail, 'ServicePrincipalSignInLogs');
  });
});

describe('file-name tables', () => {
  it('reads download and Extractor Suite names', () => {
    assert.equal(tableFromFileName('exports/InteractiveSignIns_2025-12-01_2025-12-04.csv'), 'SigninLogs');
    assert.equal(tableFromFileName('NonInteractiveSignIns_2025-12-01_2025-12-04.json'), 'AADNonInteractiveUserSignInLogs');
    assert.equal(tableFromFileName('a.zip!x/NonInteractiveSignIns_1.csv'), 'AADNonInteractiveUserSignInLogs');
    assert.equal(tableFromFileName('MSISignIns_1.csv'), 'AADManagedIdentitySignInLogs');
    assert.equal(tableFromFileName('20250413101500-nonInteractiveUser-SignInLogs.json'), 'AADNonInteractiveUserSignInLogs');
    assert.equal(tableFromFileName('20250413101500-interactiveUser-SignInLogs.json'), 'SigninLogs');
    assert.equal(tableFromFileName('InteractiveSignIns/data.csv'), null);
    assert.equal(tableFromFileName('SigninLogs.csv'), null);
  });
});

describe('relayed records', () => {
  it('finds JSON text in message fields', () => {
    assert.equal(relayedRecordText({ message: ' {"a":1}' }), '{"a":1}');
    assert.equal(relayedRecordText({ input: { message: '{"a":1}' }, expected: {} }), '{"a":1}');
    assert.equal(relayedRecordText({ message: 'plain text' }), null);
    assert.equal(relayedRecordText({ input: 'x' }), null);
  });
});
