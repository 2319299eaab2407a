import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { baseRecords } from './helpers/layouts.js';

const CLI = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../cli/main.js');

/** Runs a scan, with WebAssembly or without (`--jitless`), and returns its alerts and its summary lines. */
function scan(inputs: string[], output: string, withWebAssembly: boolean): { alerts: string; summary: string[] } {
  const flags = withWebAssembly ? [] : ['--jitless'];
  const result = spawnSync(process.execPath, [...flags, CLI, 'scan', ...inputs, '--mode', 'parity', '--no-progress', '--threads', '1', '--output', 'ndjson', '-o', output], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(result.status, 0, result.stderr);
  // --jitless makes Node warn that it disabled WebAssembly. The summary is compared without its timings.
  const summary = result.stderr.split('\n').filter((line) => !line.startsWith('Warning: disabling flag') && !/\d+(\.\d+)? ?(s|MB\/s)\b/.test(line));
  return { alerts: readFileSync(output, 'utf8'), summary };
}

describe('scan without WebAssembly', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'crackwatch-wasm-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('matches the scan with WebAssembly', () => {
    // An array with the damage the splitter recovers from, around long records that the SIMD scanner reads.
    const lines = baseRecords().map((record) => JSON.stringify({ ...record, Padding: 'p\\"'.repeat(40) }));
    lines[3] = lines[3].replace('"Padding":"p', '"Padding":"p\n');
    lines[6] = lines[6].slice(0, -1);
    lines[9] = lines[9].replace('"Padding":', '\\"Padding":');
    const array = path.join(dir, 'damaged.json');
    writeFileSync(array, '[\n' + lines.join(',\n') + '\n]\n');
    const jsonLines = path.join(dir, 'damaged.ndjson');
    writeFileSync(jsonLines, lines.join('\n') + '\n');

    const inputs = [array, jsonLines, 'samples'];
    const withWasm = scan(inputs, path.join(dir, 'with.ndjson'), true);
    const without = scan(inputs, path.join(dir, 'without.ndjson'), false);
    assert.deepEqual(without.summary, withWasm.summary);
    assert.equal(without.alerts, withWasm.alerts);
    assert.ok(withWasm.summary.some((line) => /skipped/.test(line) && !/ 0 skipped/.test(line)), withWasm.summary.join('\n'));
  });
});
