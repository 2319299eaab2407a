/** Writes the base64 modules of the WebAssembly text sources; see scripts/wasm.ts. */
import { writeFile } from 'node:fs/promises';
import { assemble, renderModule, WASM_MODULES } from './wasm.js';

for (const module of WASM_MODULES) {
  const binary = await assemble(module.source);
  await writeFile(module.target, renderModule(module, binary));
  process.stdout.write(`${module.target}: ${binary.length} bytes from ${module.source}\n`);
}
