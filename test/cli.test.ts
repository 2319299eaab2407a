/** End-to-end tests of the built command-line tool on the bundled samples. */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import yazl from 'yazl';
import { burst, diagnosticRecord } from './helpers/records.js';
import { ndjson } from './helpers/scan.js';
import { REPO_ROOT } from './helpers/records.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');

function run(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'crackwatch-cli-'));
}

test('scan of the bundled samples raises the staged alert', () => {
  const result = run(['scan', '--mode', 'parity', '--no-prefilter', 'samples/', '--output', 'ndjson']);
  assert.equal(result.status, 0, result.stderr);
  const alerts = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].UserPrincipalName, 'harry.potter@hogwarts.com');
  assert.equal(alerts[0].SigninCount, 36);
  assert.equal(alerts[0].LocationCount, 5);
  assert.equal(alerts[0].StartTime, '2025-04-12T09:00:00.1234567Z');
  assert.match(result.stderr, /Read 5 input\(s\): 138 records, 89 sign-ins, 49 skipped/);
  assert.match(result.stderr, /ServicePrincipalSignInLogs 25/);
  assert.match(result.stderr, /Alerts: 1/);
});

test('--fail-on-alert exits 1 when alerts are found', () => {
  assert.equal(run(['scan', '--mode', 'parity', 'samples/attack', '--fail-on-alert', '-q']).status, 1);
  assert.equal(run(['scan', '--mode', 'parity', 'samples/datadog-alfo', '--fail-on-alert', '-q']).status, 0);
});

test('usage errors exit 2 and name the option', () => {
  const badMode = run(['scan', 'samples/', '--mode', 'fast']);
  assert.equal(badMode.status, 2);
  assert.match(badMode.stderr, /--mode/);

  const badPeriod = run(['scan', '--mode', 'parity', 'samples/', '--period', 'one day']);
  assert.equal(badPeriod.status, 2);
  assert.match(badPeriod.stderr, /--period/);

  const missing = run(['scan', '--mode', 'parity', 'no/such/file.json']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no\/such\/file\.json: file not found/);

  const choices = run(['scan', '--mode', 'parity', 'samples/', '--output', 'xml']);
  assert.equal(choices.status, 2, 'an invalid choice is a usage error, not "alerts found"');
  assert.equal(run(['scan', '--mode', 'parity', 'samples/', '--bogus', '--fail-on-alert']).status, 2);

  const table = run(['scan', '--mode', 'parity', 'samples/', '--table', 'signinlogs']);
  assert.equal(table.status, 2);
  assert.match(table.stderr, /--table/);

  const gap = run(['scan', '--mode', 'parity', 'samples/', '--frequency', '2d']);
  assert.equal(gap.status, 2);
  assert.match(gap.stderr, /--frequency/);

  assert.equal(run(['scan', '--mode', 'parity', 'samples/', '--failure-threshold', '']).status, 2);
  assert.equal(run(['scan', '--mode', 'parity', 'samples/', '--failure-threshold', '0x10']).status, 2);
  assert.equal(run(['scan', '--mode', 'parity', 'samples/', '--time-zone', '+99:99']).status, 2);
  assert.equal(run(['scan', '--mode', 'parity', 'samples/', '--max-record-size', '0']).status, 2);
});

test('a missing input beside good ones exits 2 after scanning', () => {
  const result = run(['scan', '--mode', 'parity', 'samples/attack', 'no/such/file.json', '--output', 'ndjson']);
  assert.equal(result.status, 2);
  assert.equal(result.stdout.trim().split('\n').length, 1, 'the good input was still scanned');
  assert.match(result.stderr, /named nothing readable/);
});

test('input with no readable sign-in exits 2', () => {
  const file = path.join(scratch(), 'binary.json');
  writeFileSync(file, Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x0a, 0x01, 0x02, 0x0a]));
  const result = run(['scan', '--mode', 'parity', file]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /no sign-in record could be read/);
});

test('unwritable output exits 4 with a message', () => {
  const result = run(['scan', '--mode', 'parity', 'samples/attack', '-o', path.join(scratch(), 'missing-folder', 'alerts.csv')]);
  assert.equal(result.status, 4);
  assert.match(result.stderr, /cannot write 1 alert\(s\)/);
  assert.ok(!result.stderr.includes('    at '), 'no stack trace');
});

test('--start accepts a date and a time without zone as UTC', () => {
  const records = burst('a@x.com', '2025-04-12T23:00:00.000Z', 40, 3, 120).map((spec) => diagnosticRecord(spec));
  const file = path.join(scratch(), 'midnight.json');
  writeFileSync(file, ndjson(records));
  for (const start of ['2025-04-12T12:00:00Z', '2025-04-12T12:00:00', '2025-04-13T12:00:00+00:00']) {
    const [alert] = run(['scan', '--mode', 'parity', file, '-q', '--output', 'ndjson', '--start', start]).stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(alert.WindowStart, '2025-04-12T12:00:00.0000000Z', start);
  }
  assert.equal(run(['scan', '--mode', 'parity', file, '-q', '--start', '2025-04-12']).status, 0);
  const bad = run(['scan', '--mode', 'parity', file, '-q', '--start', 'yesterday']);
  assert.equal(bad.status, 2);
  assert.doesNotMatch(bad.stderr, /--time-format/);
});

test('named pipes are read like files', () => {
  const text = readFileSync(path.join(REPO_ROOT, 'samples/attack/distributed-cracking.json'), 'utf8');
  const result = run(['scan', '--mode', 'parity', '/dev/stdin', '--output', 'ndjson', '-q'], text);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim().split('\n').length, 1);
});

test('a file reached twice is read once', () => {
  const result = run(['scan', '--mode', 'parity', 'samples/attack', 'samples/attack/distributed-cracking.json', '--output', 'ndjson']);
  assert.equal(JSON.parse(result.stdout).SigninCount, 36);
  assert.match(result.stderr, /Read 1 input/);
});

test('standard input is read with - or no argument', () => {
  const text = readFileSync(path.join(REPO_ROOT, 'samples/attack/distributed-cracking.json'), 'utf8');
  for (const args of [['scan', '-'], ['scan']]) {
    const result = run([...args, '--mode', 'parity', '--output', 'ndjson'], text);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 1);
  }
});

test('JSON, CSV and table outputs carry the same alert', () => {
  const json = JSON.parse(run(['scan', '--mode', 'parity', 'samples/attack', '--output', 'json', '-q']).stdout);
  assert.equal(json.length, 1);
  assert.deepEqual(Object.keys(json[0]).slice(0, 15), [
    'UserPrincipalName', 'Type', 'StartTime', 'EndTime', 'LocationCount', 'Location', 'IPAddress', 'IPAddressCount',
    'AppDisplayName', 'ResultDescription', 'Browser', 'OS', 'SigninCount', 'Name', 'UPNSuffix',
  ]);

  const csv = run(['scan', '--mode', 'parity', 'samples/attack', '--output', 'csv', '-q']).stdout.split('\r\n');
  assert.equal(csv[0], 'UserPrincipalName,Type,StartTime,EndTime,LocationCount,Location,IPAddress,IPAddressCount,AppDisplayName,ResultDescription,Browser,OS,SigninCount,Name,UPNSuffix,WindowStart,WindowEnd,FirstTriggeredAt');
  assert.ok(csv[1].includes(`"${JSON.stringify(json[0].Location).replace(/"/g, '""')}"`), 'lists are the compact JSON text');

  const table = run(['scan', '--mode', 'parity', 'samples/attack', '--output', 'table', '-q']).stdout;
  assert.match(table, /harry\.potter@hogwarts\.com/);
  assert.ok(table.split('\n').every((line) => line.length <= 100), 'fits 100 columns');
});

test('-o writes alerts to a file', () => {
  const file = path.join(scratch(), 'alerts.ndjson');
  const result = run(['scan', '--mode', 'parity', 'samples/attack', '-o', file, '-q']);
  assert.equal(result.status, 0);
  assert.equal(result.stdout, '');
  assert.equal(JSON.parse(readFileSync(file, 'utf8').trim()).SigninCount, 36);
});

test('attacker-controlled text is escaped in table and CSV', () => {
  const upn = '=1+2\u001b[31m\u202e@e.com';
  const records = burst(upn, '2025-04-12T08:00:00.000Z', 31, 3).map((spec) => diagnosticRecord(spec));
  const file = path.join(scratch(), 'evil.json');
  writeFileSync(file, ndjson(records));

  const table = run(['scan', '--mode', 'parity', file, '--output', 'table', '-q']).stdout;
  assert.ok(!table.includes('\u001b'), 'no escape character reaches the terminal');
  assert.ok(!table.includes('\u202e'), 'no bidi override reaches the terminal');
  assert.match(table, /\\x1b\[31m/);

  const csv = run(['scan', '--mode', 'parity', file, '--output', 'csv', '-q']).stdout.split('\r\n')[1];
  assert.ok(csv.startsWith(`"'=1+2\\x1b[31m\\u{202e}@e.com"`), csv);

  const ndjsonText = run(['scan', '--mode', 'parity', file, '--output', 'ndjson', '-q']).stdout;
  assert.ok(!ndjsonText.includes('\u001b'), 'no raw escape character in JSON');
  assert.ok(!ndjsonText.includes('\u202e'), 'no raw bidi override in JSON');
  const json = JSON.parse(ndjsonText);
  assert.equal(json.UserPrincipalName, upn, 'JSON keeps the exact value');
});

test('sliding windows report FirstTriggeredAt', () => {
  const records = burst('a@x.com', '2025-04-12T23:00:00.000Z', 40, 3, 120).map((spec) => diagnosticRecord(spec));
  const file = path.join(scratch(), 'midnight.json');
  writeFileSync(file, ndjson(records));

  assert.equal(run(['scan', '--mode', 'parity', file, '-q', '--output', 'ndjson']).stdout, '', 'scheduled runs split the attack');
  const [alert] = run(['scan', '--mode', 'parity', file, '-q', '--output', 'ndjson', '--window', 'sliding']).stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(alert.SigninCount, 40);
  assert.equal(alert.FirstTriggeredAt, records[30].time);
});

test('bad record reported, rest scanned', () => {
  const good = ndjson(burst('a@x.com', '2025-04-12T08:00:00.000Z', 31, 3).map((spec) => diagnosticRecord(spec)));
  const file = path.join(scratch(), 'broken.json');
  writeFileSync(file, good.replace('\n', '\n{"truncated": \n'));
  const result = run(['scan', '--mode', 'parity', '--no-prefilter', file, '--output', 'ndjson']);
  assert.equal(result.status, 0);
  assert.match(result.stderr, /broken\.json:2 \(record 2\): skipped \(invalid-json\)/);
  assert.match(result.stderr, /Read 1 input\(s\): 32 records, 31 sign-ins, 1 skipped/);
  assert.equal(result.stdout.trim().split('\n').length, 1);
});

test('an output that is also an input is rejected', () => {
  const file = path.join(scratch(), 'logs.json');
  writeFileSync(file, readFileSync(path.join(REPO_ROOT, 'samples/attack/distributed-cracking.json')));
  const before = readFileSync(file, 'utf8');

  for (const args of [['-o', file], ['--report', file]]) {
    const result = run(['scan', file, ...args]);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /is also an input/);
  }
  assert.equal(readFileSync(file, 'utf8'), before, 'the input is untouched');

  const same = path.join(scratch(), 'out.html');
  assert.equal(run(['scan', file, '-o', same, '--report', same]).status, 2);
});

test('zip member named with ../ is read like any other', async () => {
  const { default: yazl } = await import('yazl');
  const zip = new yazl.ZipFile();
  const text = readFileSync(path.join(REPO_ROOT, 'samples/attack/distributed-cracking.json'));
  // yazl refuses to write "../x.json", so a name of the same length is written and patched in the bytes below.
  zip.addBuffer(Buffer.from('{}\n'), 'aa/x.json');
  zip.addBuffer(text, 'logs/attack.json');
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const file = path.join(scratch(), 'odd.zip');
  const bytes = Buffer.concat(chunks);
  for (let at = bytes.indexOf('aa/x.json'); at !== -1; at = bytes.indexOf('aa/x.json', at + 1)) bytes.write('../x.json', at);
  writeFileSync(file, bytes);

  const result = run(['scan', file, '--output', 'ndjson', '-q']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).SigninCount, 36);
});

test('improved mode windows late records by sign-in time', () => {
  // Half of the attack reached Log Analytics a day late: TimeGenerated is a day after CreatedDateTime.
  const records = burst('late@x.com', '2025-04-12T08:00:00.000Z', 40, 4, 60).map((spec, i) => {
    const record = diagnosticRecord(spec);
    if (i % 2 === 1) record.time = new Date(Date.parse(spec.time) + 86_400_000).toISOString();
    return record;
  });
  const file = path.join(scratch(), 'late.json');
  writeFileSync(file, ndjson(records));

  const parity = run(['scan', '--mode', 'parity', '--window', 'sliding', file, '-q', '--output', 'ndjson']);
  assert.equal(parity.stdout, '', 'parity windows on TimeGenerated, so each half has 20 failures');

  const improved = JSON.parse(run(['scan', file, '-q', '--output', 'ndjson']).stdout);
  assert.equal(improved.SigninCount, 40);
  const late = improved.Evidence.Failures.find((failure: { TimeGenerated: string; CreatedDateTime: string }) => failure.TimeGenerated !== failure.CreatedDateTime);
  assert.ok(late !== undefined, 'the evidence keeps both times of a late row');
});

test('a broken link in a scanned folder is named in the summary', () => {
  const folder = scratch();
  writeFileSync(path.join(folder, 'a.jsonl'), readFileSync(path.join(REPO_ROOT, 'samples/attack/distributed-cracking.json')));
  symlinkSync(path.join(folder, 'missing-target.jsonl'), path.join(folder, 'broken.jsonl'));
  const result = run(['scan', '--mode', 'parity', folder, '--output', 'ndjson', '--no-progress']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /broken\.jsonl: not read .*cannot open: ENOENT/);
  assert.match(result.stderr, /Alerts: 1/);
});

/** JSON lines that are not sign-ins: a ground-truth list such as an exercise might leave beside the logs. */
function groundTruthLines(count: number): string {
  return Array.from({ length: count }, (_, i) => JSON.stringify({ user: `u${i}@contoso.com`, kind: 'spray', attempts: 12 })).join('\n') + '\n';
}

test('a parity scan of files that are not sign-ins exits 2, not 0', () => {
  const folder = scratch();
  const notSignIns = path.join(folder, 'ground-truth.jsonl');
  writeFileSync(notSignIns, groundTruthLines(130));
  const result = run(['scan', '--mode', 'parity', notSignIns, '--output', 'ndjson', '--no-progress']);
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /no sign-in record could be read: none of the first 100 records of any input is one, and the pre-filter passed over the other 30 \(first skip: record matches no sign-in layout/);
});

test('a parity scan of non-sign-ins on standard input exits 2', () => {
  const result = spawnSync(process.execPath, [CLI, 'scan', '--mode', 'parity', '-', '--output', 'ndjson', '--no-progress'], { input: groundTruthLines(130), encoding: 'utf8' });
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /none of the first 100 records of any input is one, and the pre-filter passed over the other 30/);
});

test('a parity scan of non-sign-ins in a zip archive exits 2', async () => {
  const folder = scratch();
  const archive = path.join(folder, 'export.zip');
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(groundTruthLines(130)), 'ground-truth.jsonl');
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(archive));
  const result = run(['scan', '--mode', 'parity', archive, '--output', 'ndjson', '--no-progress']);
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /none of the first 100 records of any input is one, and the pre-filter passed over the other 30/);
});

test('a parity scan of sign-ins without counted failures exits 0', () => {
  const folder = scratch();
  const successes = path.join(folder, 'successes.jsonl');
  const record = { TimeGenerated: '2026-03-02T10:00:00Z', OperationName: 'Sign-in activity', ResultType: '0', UserPrincipalName: 'a@contoso.com', Type: 'SigninLogs' };
  writeFileSync(successes, Array.from({ length: 130 }, () => JSON.stringify(record)).join('\n') + '\n');
  const result = run(['scan', '--mode', 'parity', successes, '--output', 'ndjson', '--no-progress']);
  assert.equal(result.status, 0, result.stderr);
  // The first 100 records are parsed to show that the file contains sign-ins; the pre-filter passes over the rest.
  assert.match(result.stderr, /Sign-ins per table: SigninLogs 100\b/);
  assert.match(result.stderr, /Passed over by the pre-filter: 30 records/);
});

test('a parity scan of other records beside sign-ins without failures exits 0', () => {
  const folder = scratch();
  const events = path.join(folder, 'a-events.jsonl');
  writeFileSync(events, Array.from({ length: 30 }, (_, i) => JSON.stringify({ level: 'info', message: `request ${i}` })).join('\n') + '\n');
  const successes = path.join(folder, 'b-successes.jsonl');
  const record = { TimeGenerated: '2026-03-02T10:00:00Z', OperationName: 'Sign-in activity', ResultType: '0', UserPrincipalName: 'a@contoso.com', Type: 'SigninLogs' };
  writeFileSync(successes, Array.from({ length: 30 }, () => JSON.stringify(record)).join('\n') + '\n');
  const result = run(['scan', '--mode', 'parity', folder, '--output', 'ndjson', '--no-progress']);
  assert.equal(result.status, 0, result.stderr);
});

test('parity scan of a passed-over named pipe ends', async () => {
  const folder = scratch();
  const fifo = path.join(folder, 'signins.pipe');
  execFileSync('mkfifo', [fifo]);
  const record = { TimeGenerated: '2026-03-02T10:00:00Z', OperationName: 'Sign-in activity', ResultType: '0', UserPrincipalName: 'a@contoso.com', Type: 'SigninLogs' };
  const child = spawn(process.execPath, [CLI, 'scan', '--mode', 'parity', fifo, '--output', 'ndjson', '--no-progress', '-q'], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Opening a pipe again would wait for a writer that never comes: the scan must not try to.
  writeFileSync(fifo, Array.from({ length: 30 }, () => JSON.stringify(record)).join('\n') + '\n');
  const timer = setTimeout(() => child.kill(), 30_000);
  const code = await exited;
  clearTimeout(timer);
  assert.equal(code, 0);
});

test('--format diagnostic on Log Analytics rows reads nothing and exits 2', () => {
  const result = run(['scan', '--mode', 'parity', '--format', 'diagnostic', 'samples/attack', '--output', 'ndjson', '--no-progress']);
  assert.equal(result.status, 0, 'the attack sample is diagnostic records, so forcing diagnostic reads it');
  const folder = scratch();
  const rows = path.join(folder, 'la.jsonl');
  const row = { TimeGenerated: '2026-03-02T10:00:00Z', OperationName: 'Sign-in activity', ResultType: '50126', UserPrincipalName: 'a@contoso.com', Type: 'SigninLogs' };
  writeFileSync(rows, Array.from({ length: 40 }, () => JSON.stringify(row)).join('\n') + '\n');
  const forced = run(['scan', '--mode', 'parity', '--format', 'diagnostic', rows, '--output', 'ndjson', '--no-progress']);
  assert.equal(forced.status, 2, forced.stderr);
  assert.match(forced.stderr, /no "category", so it is not a diagnostic-settings record; check --format/);
});

test('--threads rejects 0, 65 and words other than auto', () => {
  for (const value of ['0', '65', 'many']) {
    const result = run(['scan', '--mode', 'parity', 'samples/attack', '--threads', value, '-q']);
    assert.equal(result.status, 2, value);
    assert.match(result.stderr, /invalid --threads: ".*" is not a whole number from 1 to 64, or auto/);
  }
  assert.equal(run(['scan', '--mode', 'parity', 'samples/attack', '--threads', 'auto', '-q', '-o', '/dev/null']).status, 0);
});
