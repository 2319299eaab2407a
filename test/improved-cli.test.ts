import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const CLI = 'dist/cli/main.js';
const directory = mkdtempSync(join(tmpdir(), 'crackwatch-improved-'));
after(() => rmSync(directory, { recursive: true, force: true }));

function run(...args: string[]): string {
  return execFileSync(process.execPath, [CLI, 'scan', ...args], { encoding: 'utf8' });
}

// A UPN typed at a login page is attacker-controlled: a spreadsheet formula and a terminal escape sequence.
const HOSTILE_UPN = '=HYPERLINK("http://example.invalid")\u001b[31m@hogwarts.com';
function hostileInput(): string {
  const lines = readFileSync('test/fixtures/faults/shared-correlation.json', 'utf8').trimEnd().split('\r\n');
  const file = join(directory, 'hostile.json');
  writeFileSync(file, lines.map((line) => line.replaceAll('harry.potter@hogwarts.com', HOSTILE_UPN.replaceAll('"', '\\"').replace('\u001b', '\\u001b'))).join('\r\n') + '\r\n');
  return file;
}

test('improved is the default mode', () => {
  const alerts = JSON.parse(run('samples/', '-q', '--output', 'json')) as { Mode: string; Severity: string }[];
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].Mode, 'improved');
  assert.equal(alerts[0].Severity, 'Medium');
});

test('improved scheduled windows follow runs', () => {
  const alerts = JSON.parse(run('samples/', '-q', '--window', 'scheduled', '--output', 'json')) as { WindowStart: string; WindowEnd: string; SigninCount: number; FirstTriggeredAt: string | null }[];
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].WindowStart, '2025-04-12T00:00:00.0000000Z');
  assert.equal(alerts[0].WindowEnd, '2025-04-13T00:00:00.0000000Z');
  assert.equal(alerts[0].SigninCount, 36);
  assert.equal(alerts[0].FirstTriggeredAt, null);
});

test('improved csv adds columns after parity ones', () => {
  const csv = run('samples/', '-q', '--output', 'csv');
  const [header, row] = csv.split('\r\n');
  assert.ok(header.startsWith('UserPrincipalName,Type,StartTime,EndTime,LocationCount,Location,IPAddress,IPAddressCount,'));
  assert.ok(header.endsWith(',Severity,LocationGranularity,SigninCountByTable,DuplicateRowCount,UnknownLocationCount,UserPrincipalNameVariants,LaterSuccessTime,LaterSuccessIPAddress,OtherUserCount'));
  assert.match(row, /,Medium,city,"\{""SigninLogs"":36\}",0,7,/);
});

test('improved csv header without alerts', () => {
  const csv = run('samples/datadog-alfo/', '-q', '--output', 'csv');
  assert.match(csv, /^UserPrincipalName,.*,OtherUserCount\r\n$/);
});

test('improved table summarises evidence', () => {
  const table = run('samples/', '-q', '--output', 'table');
  assert.match(table, /harry\.potter@hogwarts\.com\s+Medium\s+int\s+2025-04-12 11:30\s+36\s+4\s+5/);
  assert.match(table, /50126 invalid-credentials 32, 50053 account-locked 4; 7 with unknown location; 1 other user\(s\) failed from these IPs/);
});

test('hostile UPN is escaped in csv', () => {
  const csv = run(hostileInput(), '-q', '--output', 'csv');
  const row = csv.split('\r\n')[1];
  assert.ok(row.startsWith(`"'=hyperlink(`), row.slice(0, 40));
});

test('hostile UPN is escaped on the terminal', () => {
  const file = hostileInput();
  const outputs = [run(file, '-q', '--output', 'table'), run(file, '-q', '--explain', HOSTILE_UPN), run(file, '-q', '--compare', '--failure-threshold', '40')];
  for (const output of outputs) {
    assert.equal(output.includes('\u001b'), false);
  }
  assert.match(outputs[1], /Spellings seen: =HYPERLINK\(.*\\x1b\[31m@hogwarts\.com/);
  assert.match(outputs[1], /Rows read: 35; counted attempts: 35/);
});

test('compare and inspect JSON escape bidi and C1 characters', () => {
  // A right-to-left override and a C1 control sequence introducer, which JSON.stringify leaves raw.
  const upn = 'evil\u202e\u009b@hogwarts.com';
  // The duplicated rows make parity and improved mode disagree, so --compare lists the user.
  const lines = readFileSync('test/fixtures/faults/duplicates.json', 'utf8').trimEnd().split('\r\n');
  const file = join(directory, 'bidi\u202e.json');
  writeFileSync(file, lines.map((line) => line.replaceAll('harry.potter@hogwarts.com', upn)).join('\r\n') + '\r\n');

  const compared = run(file, '-q', '--compare', '--output', 'json');
  const inspected = execFileSync(process.execPath, [CLI, 'inspect', '--json', file], { encoding: 'utf8' });
  for (const output of [compared, inspected]) {
    assert.equal(/[\u202e\u009b]/.test(output), false);
  }
  assert.match(compared, /evil\\u202e\\u009b@hogwarts\.com/);
  assert.match(inspected, /bidi\\u202e\.json/);
});

test('explain rejects parity mode', () => {
  const result = spawnSync(process.execPath, [CLI, 'scan', 'samples/', '--mode', 'parity', '--explain', 'a@b'], { encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--explain explains improved mode/);
});

test('invalid granularity is a usage error', () => {
  const result = spawnSync(process.execPath, [CLI, 'scan', 'samples/', '--location-granularity', 'street'], { encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /invalid --location-granularity: "street" is not one of: city, state, country/);
});

test('compare keeps --frequency for parity', () => {
  const output = run('test/fixtures/faults/midnight.json', '-q', '--compare', '--frequency', '12h');
  assert.match(output, /^Parity: parity mode, scheduled windows \(every 12h, lookback 1d\)/);
  assert.match(output, /only in parity: 0; only in improved: 0/);
});

test('summary reports collapsed rows', () => {
  const result = spawnSync(process.execPath, [CLI, 'scan', 'test/fixtures/faults/duplicates.json', '--output', 'json'], { encoding: 'utf8' });
  assert.match(result.stderr, /\[\+\] Improved mode: 20 failed attempts by 1 users after collapsing 20 duplicate rows; 0 attempts without a known city-level location/);
});
