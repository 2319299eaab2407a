import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

// The parity output of the bundled samples, recorded before improved mode existed: parity mode must keep it byte for byte.
const CLI = 'dist/cli/main.js';

function scan(...args: string[]): string {
  return execFileSync(process.execPath, [CLI, 'scan', 'samples/', '-q', ...args], { encoding: 'utf8' });
}

test('parity ndjson output unchanged', () => {
  assert.equal(scan('--mode', 'parity', '--output', 'ndjson'), readFileSync('test/fixtures/parity/samples.ndjson', 'utf8'));
});

test('parity csv output unchanged', () => {
  assert.equal(scan('--mode', 'parity', '--output', 'csv'), readFileSync('test/fixtures/parity/samples.csv', 'utf8'));
});

test('parity sliding output unchanged', () => {
  assert.equal(scan('--mode', 'parity', '--window', 'sliding', '--output', 'ndjson'), readFileSync('test/fixtures/parity/samples-sliding.ndjson', 'utf8'));
});
