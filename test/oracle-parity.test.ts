import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { ATTACK_KINDS, type AttackCounts } from '../src/generate/attacks.js';
import { generateTenant, type GenerateOptions } from '../src/generate/generate.js';
import { resolveRuleConfig, type RuleConfig } from '../src/rule/config.js';
import { oracleRuleOf, runCrackwatch, runOracle } from './oracle/oracle.js';

let scratch: string;
before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'crackwatch-oracle-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

let tenantCount = 0;
async function tenantFiles(options: Partial<GenerateOptions>): Promise<string[]> {
  const outDir = path.join(scratch, `tenant-${++tenantCount}`);
  const summary = await generateTenant({
    seed: 1,
    users: 10,
    days: 2,
    startDate: '2026-03-02',
    domain: 'contoso.com',
    guestShare: 0.1,
    attacks: {},
    rates: { interactivePerDay: 2, nonInteractivePerDay: 6, duplicateShare: 0.05 },
    layouts: ['la-jsonl'],
    outDir,
    gzip: false,
    maxFileBytes: 0,
    ...options,
  });
  return summary.files;
}

const DAY_TICKS = 864_000_000_000n;
const START_TICKS = BigInt(Date.parse('2026-03-02T00:00:00Z')) * 10_000n;

function isoFromTicks(ticks: bigint): string {
  const ms = ticks / 10_000n;
  return new Date(Number(ms)).toISOString().slice(0, 23) + String(ticks % 10_000n).padStart(4, '0') + 'Z';
}

/**
 * Hand-shaped rows for the corners the generator rarely reaches: times on window boundaries and exact
 * ties, UPNs differing only in case, empty UPNs, near-miss OperationName and ResultType values, locations
 * that are missing, partial, non-string or invalid JSON, and Browser values that are numbers or arrays.
 */
const edgeRow = fc
  .record({
    upn: fc.constantFrom('eve@contoso.com', 'Eve@contoso.com', 'EVE@CONTOSO.COM', '', 'mallory@contoso.com', 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com', 'zoë@contoso.com'),
    type: fc.constantFrom('SigninLogs', 'AADNonInteractiveUserSignInLogs'),
    operation: fc.constantFrom('Sign-in activity', 'Sign-in activity', 'SIGN-IN ACTIVITY', 'sign-in Activity', 'Sign-in activity ', 'Sign\u2010in activity', ''),
    code: fc.constantFrom('50126', '50126', '50053', '50055', '50056', '50057', '0', ' 50126'),
    slot: fc.integer({ min: 0, max: 12 }),
    nudge: fc.constantFrom(-1n, 0n, 0n, 1n, 3_000_000_000n, -3_000_000_000n),
    ip: fc.constantFrom('198.51.100.1', '198.51.100.2', '198.51.100.3', '2001:db8::1', ''),
    location: fc.constantFrom<unknown>(
      { countryOrRegion: 'US', state: 'Washington', city: 'Seattle' },
      { countryOrRegion: 'US', state: 'Washington', city: 'Redmond' },
      { countryOrRegion: 'FR', city: 'Paris' },
      { countryOrRegion: 'BR', state: 'Sao Paulo', city: 'São Paulo' },
      { geoCoordinates: {} },
      { countryOrRegion: 7, state: true, city: ['x', 'y'] },
      { CountryOrRegion: 'DE', state: 'Hesse', city: 'Frankfurt' },
      { countryOrRegion: 'us', state: 'washington', city: 'seattle' },
      'not json',
      '',
      null,
    ),
    device: fc.constantFrom<unknown>(
      { browser: 'Edge 131.0.0', operatingSystem: 'Windows10' },
      { browser: 'Chrome 131.0.0', operatingSystem: 'MacOs' },
      { browser: 1, operatingSystem: '1' },
      { browser: '1' },
      { browser: ['Edge', 'Chrome'], operatingSystem: null },
      { operatingSystem: { name: 'Linux' } },
      'garbage',
      '',
    ),
    app: fc.constantFrom('Office 365 Exchange Online', 'Azure Portal', ''),
    description: fc.constantFrom('Invalid username or password.', 'Account is locked.', ''),
  })
  .map((row) => {
    // Slots are 6 hours apart, so many rows sit on or next to a run boundary of every schedule tested.
    const ticks = START_TICKS + BigInt(row.slot) * (DAY_TICKS / 4n) + row.nudge;
    const asColumn = (value: unknown): unknown => (row.type === 'SigninLogs' || typeof value === 'string' ? value : JSON.stringify(value));
    return {
      TimeGenerated: isoFromTicks(ticks < START_TICKS ? START_TICKS : ticks),
      Type: row.type,
      OperationName: row.operation,
      ResultType: row.code,
      ResultDescription: row.description,
      UserPrincipalName: row.upn,
      IPAddress: row.ip,
      AppDisplayName: row.app,
      LocationDetails: row.location === null ? null : asColumn(row.location),
      DeviceDetail: asColumn(row.device),
    };
  });

async function edgeFile(rows: unknown[]): Promise<string> {
  const file = path.join(scratch, `edge-${++tenantCount}.jsonl`);
  await writeFile(file, rows.map((row) => JSON.stringify(row) + '\n').join(''));
  return file;
}

async function assertSameAlerts(files: string[], rule: RuleConfig): Promise<number> {
  const expected = await runOracle(files, oracleRuleOf(rule));
  const actual = await runCrackwatch(files, rule);
  assert.deepEqual(actual, expected);
  return expected.length;
}

describe('SQL oracle against the parity engine', () => {
  test('default rule on a tenant with every attack kind', async () => {
    const attacks = Object.fromEntries(ATTACK_KINDS.map((kind) => [kind, 1])) as AttackCounts;
    const files = await tenantFiles({ seed: 7, users: 40, days: 3, attacks });
    const alerts = await assertSameAlerts(files, resolveRuleConfig({ mode: 'parity' }));
    assert.ok(alerts >= 2, `expected the distributed and success attacks to alert, got ${alerts} alert(s)`);
  });

  test('small caps truncate every list the same way', async () => {
    const files = await tenantFiles({ seed: 11, users: 20, days: 2, attacks: { distributed: 2, success: 1 } });
    const base = resolveRuleConfig({ mode: 'parity' });
    const rule: RuleConfig = { ...base, setCaps: { Location: 2, IPAddress: 3, AppDisplayName: 1, ResultDescription: 1, Browser: 1, OS: 2 } };
    const alerts = await assertSameAlerts(files, rule);
    assert.ok(alerts > 0);
  });

  test('rows on window boundaries and exact ties', async () => {
    const row = (upn: string, ticks: bigint, city: string): object => ({
      TimeGenerated: isoFromTicks(ticks),
      Type: 'SigninLogs',
      OperationName: 'Sign-in activity',
      ResultType: '50126',
      ResultDescription: 'Invalid username or password.',
      UserPrincipalName: upn,
      IPAddress: `198.51.100.${city.length}`,
      AppDisplayName: 'Azure Portal',
      LocationDetails: { countryOrRegion: 'US', state: 'Washington', city },
      DeviceDetail: { browser: city === 'Seattle' ? 'Edge' : 'Chrome' },
    });
    const cities = ['Seattle', 'Redmond', 'Bellevue', 'Tacoma'];
    const rows: object[] = [row('first@contoso.com', START_TICKS + 36_000_000_000n, 'Seattle')];
    // 31 failures exactly at the start of the second day's window, and 31 one tick before its end.
    for (let i = 0; i < 31; i++) rows.push(row('start@contoso.com', START_TICKS + DAY_TICKS, cities[i % 4]));
    for (let i = 0; i < 31; i++) rows.push(row('end@contoso.com', START_TICKS + 2n * DAY_TICKS - 1n, cities[(i * 7) % 4]));
    const files = [await edgeFile(rows)];
    const rule = resolveRuleConfig({ mode: 'parity' });
    const alerts = await runOracle(files, oracleRuleOf(rule));
    assert.deepEqual(await runCrackwatch(files, rule), alerts);
    assert.deepEqual(alerts.map((alert) => [alert.UserPrincipalName, alert.WindowStart - START_TICKS]), [
      ['end@contoso.com', DAY_TICKS],
      ['start@contoso.com', DAY_TICKS],
    ]);
  });

  test('sliding windows on random tenants', async () => {
    let alertsSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom<AttackCounts>({ distributed: 1, straddle: 1 }, { slow: 1, late: 1 }, { success: 1, 'case-split': 1 }, {}),
        fc.oneof({ arbitrary: fc.integer({ min: 0, max: 3 }), weight: 3 }, { arbitrary: fc.integer({ min: 4, max: 40 }), weight: 1 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('1d', '6h', '2d', '90m'),
        fc.array(edgeRow, { maxLength: 120 }),
        async (seed, users, days, attacks, failureThreshold, locationThreshold, period, edges) => {
          const files = await tenantFiles({ seed, users, days, attacks });
          if (edges.length > 0) files.push(await edgeFile(edges));
          const rule = resolveRuleConfig({ mode: 'parity', window: 'sliding', failureThreshold, locationThreshold, period });
          alertsSeen += await assertSameAlerts(files, rule);
        },
      ),
      { numRuns: 40, seed: 20260303 },
    );
    assert.ok(alertsSeen > 40, `the random tenants raised only ${alertsSeen} alerts; the property checks too little`);
  });

  test('random tenants, thresholds, caps and schedules', async () => {
    const attackCounts = fc.record(
      Object.fromEntries(ATTACK_KINDS.map((kind) => [kind, fc.integer({ min: 0, max: 2 })])) as Record<string, fc.Arbitrary<number>>,
    );
    const schedule = fc.constantFrom(
      { period: '1d', frequency: '1d' },
      { period: '1d', frequency: '12h' },
      { period: '6h', frequency: '6h' },
      { period: '2d', frequency: '1d' },
    );
    const cap = fc.integer({ min: 1, max: 6 });
    let alertsSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 1, max: 3 }),
        attackCounts,
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        // Low thresholds most of the time, so the few hand-shaped rows per user still form alerts.
        fc.oneof({ arbitrary: fc.integer({ min: 0, max: 3 }), weight: 3 }, { arbitrary: fc.integer({ min: 4, max: 40 }), weight: 1 }),
        fc.integer({ min: 1, max: 3 }),
        schedule,
        fc.record({ Location: cap, IPAddress: cap, AppDisplayName: cap, ResultDescription: cap, Browser: cap, OS: cap }),
        fc.array(edgeRow, { maxLength: 120 }),
        async (seed, users, days, attacks, duplicateShare, failureThreshold, locationThreshold, { period, frequency }, caps, edges) => {
          const files = await tenantFiles({ seed, users, days, attacks, rates: { interactivePerDay: 2, nonInteractivePerDay: 6, duplicateShare } });
          if (edges.length > 0) files.push(await edgeFile(edges));
          const base = resolveRuleConfig({ mode: 'parity', failureThreshold, locationThreshold, period, frequency });
          alertsSeen += await assertSameAlerts(files, { ...base, setCaps: caps });
        },
      ),
      { numRuns: 60, seed: 20260302 },
    );
    assert.ok(alertsSeen > 40, `the random tenants raised only ${alertsSeen} alerts; the property checks too little`);
  });
});
