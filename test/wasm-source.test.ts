import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assemble, WASM_MODULES } from '../scripts/wasm.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('WebAssembly modules', () => {
  for (const module of WASM_MODULES) {
    it(`${module.target} matches its text source`, async () => {
      const binary = await assemble(root + module.source);
      const carried = (await import(root + module.target.replace(/^src\//, 'dist/src/').replace(/\.ts$/, '.js'))) as Record<string, string>;
      assert.equal(carried[module.exportName], Buffer.from(binary).toString('base64'), 'run npm run build:wasm after changing the text source');
    });
  }
});
