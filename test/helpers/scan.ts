/** Runs crackwatch's decoders and detectors on in-memory text, for tests. */
import type { SignIn, RecordSource } from '../../src/core/signin.js';
import { DEFAULT_TIME_OPTIONS } from '../../src/core/time.js';
import { InputDecoder } from '../../src/decoders/decode.js';
import type { LayoutName } from '../../src/decoders/layouts.js';
import type { SkipReason } from '../../src/decoders/schemas/result.js';
import { createDetector, type ParityAlert } from '../../src/detect/index.js';
import { resolveRuleConfig, type RuleOptions } from '../../src/rule/config.js';

export interface Skip {
  reason: SkipReason;
  source: RecordSource;
  message: string;
}

export interface Decoded {
  signIns: SignIn[];
  skips: Skip[];
  framing: string;
}

/** Decodes bytes as if read from a file called `name`, optionally in chunks of `chunkSize` bytes. */
export async function decodeBytes(bytes: Buffer | string, options: { name?: string; layout?: LayoutName; chunkSize?: number; tableHint?: string } = {}): Promise<Decoded> {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const signIns: SignIn[] = [];
  const skips: Skip[] = [];
  const chunkSize = options.chunkSize ?? buffer.length + 1;

  async function* chunks(): AsyncGenerator<Buffer> {
    for (let offset = 0; offset < buffer.length; offset += chunkSize) yield buffer.subarray(offset, offset + chunkSize);
  }

  const decoder = new InputDecoder(
    options.name ?? 'test.json',
    { layout: options.layout ?? 'auto', time: DEFAULT_TIME_OPTIONS, maxRecordBytes: 16 * 1024 * 1024, tableHint: options.tableHint ?? null },
    {
      signIn: (signIn) => signIns.push(signIn),
      skipped: (reason, source, message) => skips.push({ reason, source, message }),
    },
  );
  const result = await decoder.decode({ encoding: 'utf-8', compression: 'none', chunks: chunks() });
  return { signIns, skips, framing: result.framing };
}

/** Runs the detector for `options` over sign-ins and returns its alerts. */
export function detect(signIns: readonly SignIn[], options: RuleOptions = {}): ParityAlert[] {
  const detector = createDetector(resolveRuleConfig(options));
  for (const signIn of signIns) detector.add(signIn);
  return detector.finish();
}

export function ndjson(records: readonly object[], newline = '\n'): string {
  return records.map((record) => JSON.stringify(record)).join(newline) + newline;
}

import { mapDiagnosticRecord } from '../../src/decoders/schemas/diagnostic.js';
import { diagnosticRecord, type FailureSpec } from './records.js';

/** Maps failure specs to sign-ins through the real diagnostic-record decoder. */
export function signInsOf(specs: readonly FailureSpec[]): SignIn[] {
  return specs.map((spec, index) => {
    const result = mapDiagnosticRecord(diagnosticRecord(spec), { file: 'test.json', line: index + 1, index: index + 1 }, DEFAULT_TIME_OPTIONS);
    if (!result.ok) throw new Error(`test record ${index} did not map: ${result.message}`);
    return result.signIn;
  });
}
