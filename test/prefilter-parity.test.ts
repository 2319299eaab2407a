import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeDataset } from '../bench/generate.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', 'cli', 'main.js');
const samples = path.join(here, '..', '..', 'samples');

async function scan(args: string[], output: string): Promise<{ alerts: string; summary: string }> {
  const { stderr } = await run(process.execPath, [cli, 'scan', '--mode', 'parity', ...args, '--output', 'ndjson', '-o', output, '--no-progress'], { maxBuffer: 1 << 24 });
  return { alerts: await readFile(output, 'utf8'), summary: stderr };
}

describe('scan with the pre-filter', () => {
  let directory: string;
  let files: string[];

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'crackwatch-prefilter-'));
    const paths = {
      ndjson: path.join(directory, 'la.ndjson'),
      diagnostic: path.join(directory, 'diagnostic.ndjson'),
      array: path.join(directory, 'la.json'),
      gzip: path.join(directory, 'la.ndjson.gz'),
    };
    await writeDataset(paths, 7, 12_000, 3);
    files = [paths.ndjson, paths.diagnostic, paths.array, paths.gzip];
  });

  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  for (const [index, name] of ['Log Analytics JSON lines', 'diagnostic JSON lines', 'JSON array', 'gzip JSON lines'].entries()) {
    it(`matches the full parse on ${name}`, async () => {
      const filtered = await scan([files[index]], path.join(directory, `filtered-${index}.ndjson`));
      const full = await scan([files[index], '--no-prefilter'], path.join(directory, `full-${index}.ndjson`));
      assert.ok(filtered.alerts.length > 0, 'the generated data should raise alerts');
      assert.equal(filtered.alerts, full.alerts);
      assert.match(full.summary, /12000 records/);
      assert.match(filtered.summary, /12000 records/);
    });
  }

  it('reports passed-over records in the summary', async () => {
    const filtered = await scan([files[0]], path.join(directory, 'summary.ndjson'));
    assert.match(filtered.summary, /passed over unparsed/);
    assert.match(filtered.summary, /Passed over by the pre-filter: \d+ records/);
  });

  it('matches the full parse on the bundled samples', async () => {
    const filtered = await scan([samples], path.join(directory, 'samples-filtered.ndjson'));
    const full = await scan([samples, '--no-prefilter'], path.join(directory, 'samples-full.ndjson'));
    assert.equal(filtered.alerts, full.alerts);
  });
});
