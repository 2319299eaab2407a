import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { SignIn } from '../core/signin.js';
import { resolveRuleConfig } from '../rule/config.js';
import { classifyRecord } from '../detect/rule-filter.js';
import type { OpenedInput } from '../sources/open.js';
import { InputDecoder } from './decode.js';
import { LineSplitter } from './framing/lines.js';
import { RecordPrefilter } from './prefilter.js';

const RULE = resolveRuleConfig();
const CODES = [...RULE.resultTypes];

/** Ways a JSON text can spell a ResultType value that maps to `code`, or to something near it. */
function resultTypeText(code: string): fc.Arbitrary<string> {
  const escaped = fc
    .array(fc.boolean(), { minLength: code.length, maxLength: code.length })
    .map((flags) => '"' + [...code].map((digit, i) => (flags[i] ? `\\u00${digit.charCodeAt(0).toString(16)}` : digit)).join('') + '"');
  const forms = [fc.constant(JSON.stringify(code)), escaped];
  if (/^[1-9]\d*$/.test(code)) {
    forms.push(fc.constant(code), fc.constant(`${code}.0`), fc.constant(`${code}00e-2`), fc.constant(`0.${code}e${code.length}`));
  }
  return fc.oneof(...forms);
}

const code = fc.constantFrom(...CODES, '0', '50074', '5012', '501260', '150126');
const operation = fc.constantFrom('Sign-in activity', 'SIGN-IN ACTIVITY', 'Sign-in activity ', 'Other');
const extras = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const upn = fc.constantFrom('a@contoso.com', 'b@contoso.com', 'c@fabrikam.com');
const table = fc.constantFrom('SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AADServicePrincipalSignInLogs');
const category = fc.constantFrom('SignInLogs', 'NonInteractiveUserSignInLogs', 'ManagedIdentitySignInLogs');

/** Splices extra members into an object's JSON text, so random content sits around the fields that matter. */
function withExtras(members: string, extra: Record<string, unknown>): string {
  const text = JSON.stringify(extra);
  return text === '{}' ? `{${members}}` : `{${members},${text.slice(1)}`;
}

const logAnalyticsLine = fc
  .tuple(code.chain(resultTypeText), operation, upn, table, extras)
  .map(([resultType, op, user, type, extra]) =>
    withExtras(
      `"TimeGenerated":"2026-10-01T10:00:00Z","OperationName":${JSON.stringify(op)},"ResultType":${resultType},` +
        `"UserPrincipalName":${JSON.stringify(user)},"Type":${JSON.stringify(type)},"LocationDetails":{"countryOrRegion":"US"}`,
      extra,
    ),
  );

/** Diagnostic records carry the code as resultType, or only as properties.status.errorCode (object or JSON text). */
const diagnosticLine = fc
  .tuple(code.chain(resultTypeText), operation, upn, category, fc.constantFrom('top', 'status', 'status-text'), extras)
  .map(([resultType, op, user, cat, where, extra]) => {
    const status = `{"errorCode":${resultType}}`;
    const properties =
      where === 'status-text'
        ? JSON.stringify(`{"userPrincipalName":${JSON.stringify(user)},"status":${status}}`)
        : `{"userPrincipalName":${JSON.stringify(user)},"status":${where === 'status' ? status : '{}'}}`;
    const top = where === 'top' ? `"resultType":${resultType},` : '';
    return withExtras(
      `"time":"2026-10-01T10:00:00Z","category":${JSON.stringify(cat)},"operationName":${JSON.stringify(op)},${top}"properties":${properties}`,
      extra,
    );
  });

const envelopeLine = fc.array(fc.oneof(logAnalyticsLine, diagnosticLine), { minLength: 1, maxLength: 3 }).map((records) => `{"records" : [${records.join(',')}]}`);
const noiseLine = fc.oneof(fc.constant(''), fc.constant('   '), fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)));
/** Record size limits: none in practice, and one that some generated records exceed. */
const recordLimit = fc.constantFrom(1 << 20, 300);
const line = fc.oneof({ weight: 4, arbitrary: logAnalyticsLine }, { weight: 4, arbitrary: diagnosticLine }, { weight: 1, arbitrary: envelopeLine }, { weight: 1, arbitrary: noiseLine });

async function* chunksOf(chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
}

interface Outcome {
  counted: string[];
  records: number;
}

/** Decodes JSON lines cut into chunks at `cuts`, and lists the counted failures by record position. */
async function decodeText(
  text: string,
  cuts: number[],
  prefilter: ReadonlySet<string> | null,
  framing: 'json-lines' | 'json',
  maxRecordBytes: number,
): Promise<Outcome> {
  const bytes = Buffer.from(text, 'utf8');
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  const input: OpenedInput = { encoding: 'utf-8', compression: 'none', chunks: chunksOf(chunks) };

  const outcome: Outcome = { counted: [], records: 0 };
  const decoder = new InputDecoder(
    'test.ndjson',
    { layout: 'auto', time: { assumedOffsetMinutes: null, slashDateOrder: null }, maxRecordBytes, tableHint: null, prefilter, framing },
    {
      signIn(signIn: SignIn): void {
        outcome.records++;
        if (classifyRecord(signIn, RULE) === 'counted') outcome.counted.push(`${signIn.Source.index} ${signIn.UserPrincipalName} ${signIn.Type}`);
      },
      skipped(): void {
        outcome.records++;
      },
      passedOver(): void {
        outcome.records++;
      },
    },
  );
  await decoder.decode(input);
  return outcome;
}

describe('RecordPrefilter', () => {
  it('never drops a counted record in JSON lines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 6 }), recordLimit, async (lines, cuts, limit) => {
        const text = lines.join('\n');
        const full = await decodeText(text, cuts, null, 'json-lines', limit);
        const filtered = await decodeText(text, cuts, RULE.resultTypes, 'json-lines', limit);
        assert.deepEqual(filtered.counted, full.counted);
        assert.equal(filtered.records, full.records);
      }),
      { numRuns: 400 },
    );
  });

  it('never drops a counted record in JSON arrays', async () => {
    const record = fc.oneof(logAnalyticsLine, diagnosticLine, envelopeLine, fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)));
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 12 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), recordLimit, async (records, array, cuts, limit) => {
        const text = array ? `[\n${records.join(',\n')}\n]` : records.join('\n');
        const full = await decodeText(text, cuts, null, 'json', limit);
        const filtered = await decodeText(text, cuts, RULE.resultTypes, 'json', limit);
        assert.deepEqual(filtered.counted, full.counted);
        assert.equal(filtered.records, full.records);
      }),
      { numRuns: 400 },
    );
  });

  it('passes over records without the codes', async () => {
    const lines = [
      '{"TimeGenerated":"2026-10-01T10:00:00Z","OperationName":"Sign-in activity","ResultType":"0","UserPrincipalName":"a@b.c","Type":"SigninLogs"}',
      '{"TimeGenerated":"2026-10-01T10:00:00Z","OperationName":"Sign-in activity","ResultType":"50126","UserPrincipalName":"a@b.c","Type":"SigninLogs"}',
    ];
    const passed: number[] = [];
    const decoder = new InputDecoder(
      'two.ndjson',
      { layout: 'auto', time: { assumedOffsetMinutes: null, slashDateOrder: null }, maxRecordBytes: 1 << 20, tableHint: null, prefilter: RULE.resultTypes },
      { signIn: () => passed.push(0), skipped: () => passed.push(-1), passedOver: () => passed.push(1) },
    );
    const input: OpenedInput = { encoding: 'utf-8', compression: 'none', chunks: chunksOf([Buffer.from(lines.join('\n'))]) };
    await decoder.decode(input);
    assert.deepEqual(passed, [1, 0]);
  });

  // The outer string would normally write the inner \u0030 as \\u0030; it may also escape that escape's
  // backslash as \u005c or its u as \u0075, which leaves neither the code's digits nor \u003X in the bytes.
  for (const [name, spelling] of [['backslash as \\u005c', '\\u005cu0030'], ['u as \\u0075', '\\\\\\u00750030']]) {
    it(`keeps a relayed record whose nested escape spells its ${name}`, async () => {
      const inner = '{"TimeGenerated":"2026-10-01T10:00:00Z","OperationName":"Sign-in activity","ResultType":"5\\u0030126","UserPrincipalName":"a@b.c","Type":"SigninLogs"}';
      const line = JSON.stringify({ message: inner }).replace('\\\\u0030', spelling);
      assert.ok(!line.includes('50126'), line);
      assert.ok(!/\\u003[0-9]/.test(line), line);
      const outcomes: string[] = [];
      const decoder = new InputDecoder(
        'relay.ndjson',
        { layout: 'auto', time: { assumedOffsetMinutes: null, slashDateOrder: null }, maxRecordBytes: 1 << 20, tableHint: null, prefilter: RULE.resultTypes },
        { signIn: (signIn) => outcomes.push(`sign-in ${signIn.ResultType}`), skipped: (reason) => outcomes.push(reason), passedOver: () => outcomes.push('passed over') },
      );
      await decoder.decode({ encoding: 'utf-8', compression: 'none', chunks: chunksOf([Buffer.from(line)]) });
      assert.deepEqual(outcomes, ['sign-in 50126']);
    });
  }

  it('mayKeepWhole finds codes, escapes and envelopes', () => {
    const prefilter = new RecordPrefilter(new Set(['50126']));
    assert.equal(prefilter.mayKeepWhole(Buffer.from('{"ResultType":"50126"}')), true);
    assert.equal(prefilter.mayKeepWhole(Buffer.from('{"ResultType":"5012"}')), false);
    assert.equal(prefilter.mayKeepWhole(Buffer.from('{"ResultType":"\\u0035"}')), true);
    assert.equal(prefilter.mayKeepWhole(Buffer.from('{"value" :\n [ ]}')), true);
    assert.equal(prefilter.mayKeepWhole(Buffer.from('{"value":"x"}')), false);
  });

  /** Records of `lines` that scanChunk and mayKeep keep, joined by newlines in one chunk. */
  function keptLines(prefilter: RecordPrefilter, lines: readonly string[]): string[] {
    const chunk = Buffer.from(lines.join('\n'), 'latin1');
    prefilter.scanChunk(chunk);
    const kept: string[] = [];
    let from = 0;
    for (const line of lines) {
      if (prefilter.mayKeep(from, from + line.length)) kept.push(line);
      from += line.length + 1;
    }
    return kept;
  }

  // The default codes take the SIMD pair scan; codes with three distinct first pairs take Buffer.indexOf.
  for (const codes of [CODES, ['50126', '70016', '81010']]) {
    it(`keeps escapes that may hide digits, for codes ${codes.join(',')}`, () => {
      const prefilter = new RecordPrefilter(new Set(codes));
      // \u005c is a backslash: JSON text nested in a string can spell its own \u0035 as \u005cu0035.
      const mustKeep = ['{"a":"\\u0035"}', '{"a":"\\\\u0039"}', '{"a":"\\u005cu0030"}', '{"a":"\\u005Cu0030"}', '{"a":"\\\\\\u00750030"}', `{"a":"${codes[0]}"}`];
      const mustPass = ['{"a":"\\u003c"}', '{"a":"\\u0027"}', '{"a":"\\u003"}', '{"a":"\\u005d"}', '{"a":"\\u0050"}', '{"a":"\\u0076"}'];
      assert.deepEqual(keptLines(prefilter, [...mustKeep, ...mustPass]), mustKeep);
    });

    it(`finds what a naive search finds, for codes ${codes.join(',')}`, () => {
      const prefilter = new RecordPrefilter(new Set(codes));
      const piece = fc.constantFrom(...codes, ...codes.map((code) => code.slice(0, 3)), '\\u0035', '\\u003c', '\\u005c', '\\u005C', '\\u005d', '\\u0075', '\\u0076', 'x', '5', '0', ',');
      const line = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));
      fc.assert(
        fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), (lines) => {
          const expected = lines.filter((text) => codes.some((code) => text.includes(code)) || /\\u003[0-9]|\\u005[cC]|\\u0075/.test(text));
          assert.deepEqual(keptLines(prefilter, lines), expected);
        }),
        { numRuns: 500 },
      );
    });
  }

  it('rejects an empty keep-set', () => {
    assert.throws(() => new RecordPrefilter(new Set()), /at least one ResultType/);
  });

  it('keeps the sampled first records', () => {
    const parsedLines: string[] = [];
    let passed = 0;
    const tooLarge: number[] = [];
    const splitter = new LineSplitter(
      { line: (text) => parsedLines.push(text), tooLarge: (_bytes, line) => tooLarge.push(line), passedOver: () => passed++ },
      40,
      new RecordPrefilter(new Set(['50126']), 3),
    );
    // Blank lines are not records, so they leave the sample alone; a line too large to hold uses one place.
    const lines = ['{"a":1}', '', '   ', `{"b":"${'x'.repeat(50)}"}`, '{"c":3}', '{"d":4}', '{"e":"50126"}', '{"f":6}'];
    splitter.push(Buffer.from(lines.join('\n')));
    splitter.end();
    assert.deepEqual(
      parsedLines.filter((text) => text.trim() !== ''),
      ['{"a":1}', '{"c":3}', '{"e":"50126"}'],
    );
    assert.deepEqual(tooLarge, [4]);
    assert.equal(passed, 2);
  });
});
