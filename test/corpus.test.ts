/**
 * Real published sign-in logs: each decodes with the right record counts, tables and skipped categories.
 * The bundled Apache-2.0 samples are always tested. The other public samples have no licence to copy them, so
 * they are read from ../shared/corpus/public when that folder exists and skipped with a message otherwise.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { locationString } from '../src/detect/parity-aggregate.js';
import { createDetector } from '../src/detect/index.js';
import { runScan } from '../src/pipeline/scan.js';
import type { FileStats } from '../src/pipeline/stats.js';
import { resolveRuleConfig } from '../src/rule/config.js';
import type { SignIn } from '../src/core/signin.js';
import { formatTicks } from '../src/core/time.js';
import { REPO_ROOT } from './helpers/records.js';

const SHARED_CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'public');
const sharedMissing = existsSync(SHARED_CORPUS) ? false : `public corpus not found at ${SHARED_CORPUS}`;

async function scan(file: string): Promise<{ stats: FileStats; signIns: SignIn[] }> {
  const signIns: SignIn[] = [];
  const result = await runScan([{ kind: 'file', path: file }], createDetector(resolveRuleConfig()), {
    layout: 'auto',
    time: { assumedOffsetMinutes: null, slashDateOrder: null },
    maxRecordBytes: 1 << 24,
    tableHint: null,
    onSignIn: (signIn) => signIns.push(signIn),
  });
  return { stats: result.files[0], signIns };
}

interface Expectation {
  file: string;
  framing: string;
  encoding: string;
  tables: Record<string, number>;
  skipped?: Record<string, number>;
  categories?: Record<string, number>;
  counted?: number;
}

const BUNDLED: Expectation[] = [
  { file: 'samples/datadog-alfo/sign_in_logs.json', framing: 'json-lines', encoding: 'utf-8', tables: { SigninLogs: 5 } },
  { file: 'samples/datadog-alfo/non_interactive_user_sign_in_logs.json', framing: 'json-lines', encoding: 'utf-8', tables: { AADNonInteractiveUserSignInLogs: 14 } },
  {
    file: 'samples/datadog-alfo/service_principal_sign_in_logs.json',
    framing: 'json-lines',
    encoding: 'utf-8',
    tables: {},
    skipped: { 'other-category': 25 },
    categories: { ServicePrincipalSignInLogs: 25 },
  },
  {
    file: 'samples/datadog-alfo/managed_identity_sign_in_logs.json',
    framing: 'json-lines',
    encoding: 'utf-8',
    tables: {},
    skipped: { 'other-category': 24 },
    categories: { ManagedIdentitySignInLogs: 24 },
  },
  { file: 'samples/attack/distributed-cracking.json', framing: 'json-lines', encoding: 'utf-8', tables: { SigninLogs: 40, AADNonInteractiveUserSignInLogs: 30 }, counted: 70 },
];

const SHARED: Expectation[] = [
  { file: 'mku2-ciso-logs-public/SigninLogs.csv', framing: 'csv', encoding: 'utf-16be', tables: { SigninLogs: 57 }, counted: 1 },
  { file: 'isaacdunham-bec-telemetry/SigninLogs.csv', framing: 'csv', encoding: 'utf-8', tables: { SigninLogs: 18 }, counted: 0 },
  { file: 'isaacdunham-bec-telemetry/AADNonInteractiveUserSignInLogs.csv', framing: 'csv', encoding: 'utf-8', tables: { AADNonInteractiveUserSignInLogs: 302 }, counted: 0 },
  { file: 'sentinel-training-lab/sign-in_adelete.csv', framing: 'csv', encoding: 'utf-8-bom', tables: { SigninLogs: 56 }, counted: 0 },
  {
    file: 'elastic-integrations/test-signinlogs-raw.log',
    framing: 'json-lines',
    encoding: 'utf-8',
    tables: { SigninLogs: 1, AADNonInteractiveUserSignInLogs: 1 },
    skipped: { 'other-category': 3 },
    categories: { ServicePrincipalSignInLogs: 1, ManagedIdentitySignInLogs: 1, MicrosoftServicePrincipalSignInLogs: 1 },
  },
  { file: 'elastic-integrations/test-non-interactive-user-signin.log', framing: 'json', encoding: 'utf-8', tables: { AADNonInteractiveUserSignInLogs: 1 } },
  { file: 'elastic-beats/signinlogs_ipv6.log', framing: 'json-lines', encoding: 'utf-8', tables: { SigninLogs: 1 } },
];

function check(expectation: Expectation, stats: FileStats): void {
  const name = expectation.file;
  assert.equal(stats.fatal, null, `${name}: fatal`);
  assert.equal(stats.framing, expectation.framing, `${name}: framing`);
  assert.equal(stats.encoding, expectation.encoding, `${name}: encoding`);
  assert.deepEqual(Object.fromEntries(stats.tables), expectation.tables, `${name}: tables`);
  assert.deepEqual(Object.fromEntries(stats.skipped), expectation.skipped ?? {}, `${name}: skipped`);
  assert.deepEqual(Object.fromEntries(stats.otherCategories), expectation.categories ?? {}, `${name}: categories`);
  if (expectation.counted !== undefined) assert.equal(stats.outcomes.get('counted') ?? 0, expectation.counted, `${name}: counted`);

  const mapped = [...stats.tables.values()].reduce((sum, count) => sum + count, 0);
  const skipped = [...stats.skipped.values()].reduce((sum, count) => sum + count, 0);
  assert.equal(stats.records, mapped + skipped, `${name}: read = mapped + skipped`);
}

for (const expectation of BUNDLED) {
  test(`bundled sample ${path.basename(expectation.file)}`, async () => {
    const { stats } = await scan(path.join(REPO_ROOT, expectation.file));
    check(expectation, stats);
  });
}

for (const expectation of SHARED) {
  test(`public sample ${expectation.file}`, { skip: sharedMissing }, async () => {
    const { stats } = await scan(path.join(SHARED_CORPUS, expectation.file));
    check(expectation, stats);
  });
}

test('UTF-16 portal export keeps its traits', { skip: sharedMissing }, async () => {
  const { signIns } = await scan(path.join(SHARED_CORPUS, 'mku2-ciso-logs-public/SigninLogs.csv'));
  const failure = signIns.filter((signIn) => signIn.ResultType === '50126');
  assert.equal(failure.length, 1);

  // IPv6 rows carry {"geoCoordinates":{}}: the rule's location string is "//".
  const ipv6 = signIns.filter((signIn) => signIn.IPAddress.includes(':'));
  assert.equal(ipv6.length, 3);
  for (const signIn of ipv6) assert.equal(locationString(signIn.LocationDetails), '//');
  assert.equal(new Set(signIns.map((signIn) => locationString(signIn.LocationDetails))).size, 13);
});

test('diagnostic records keep full-precision time and the UPN without @', async () => {
  const { signIns } = await scan(path.join(REPO_ROOT, 'samples/datadog-alfo/sign_in_logs.json'));
  assert.ok(signIns.some((signIn) => signIn.UserPrincipalName === 'harry-potter-hogwarts.onmicrosoft.com'));
  assert.ok(signIns.some((signIn) => signIn.IPAddress.includes(':')));
  assert.ok(signIns.some((signIn) => formatTicks(signIn.TimeGenerated) === '2025-04-11T16:17:00.7397744Z'));
});

test('Elastic records of both tables keep their ResultType', { skip: sharedMissing }, async () => {
  const { signIns } = await scan(path.join(SHARED_CORPUS, 'elastic-integrations/test-signinlogs-raw.log'));
  assert.equal(signIns.length, 2);
  for (const signIn of signIns) assert.equal(signIn.ResultType, '50140');
});
