/**
 * Assembles the WebAssembly text sources under src/ into the base64 modules the code loads, so that no
 * assembler is needed at run time. `npm run build:wasm` writes them; a test checks that they agree.
 */
import { readFile } from 'node:fs/promises';
import wabtInit from 'wabt';

/** A WebAssembly text source and the TypeScript module that carries its binary. */
export interface WasmModule {
  readonly source: string;
  readonly target: string;
  readonly exportName: string;
}

export const WASM_MODULES: readonly WasmModule[] = [
  { source: 'src/decoders/simd/pair-scan.wat', target: 'src/decoders/simd/pair-scan-wasm.ts', exportName: 'PAIR_SCAN_WASM' },
  { source: 'src/decoders/simd/structure-scan.wat', target: 'src/decoders/simd/structure-scan-wasm.ts', exportName: 'STRUCTURE_SCAN_WASM' },
];

/** Assembles a text source (with SIMD) into its binary. */
export async function assemble(sourcePath: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat(sourcePath, await readFile(sourcePath, 'utf8'), { simd: true });
  try {
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

/** Renders the TypeScript module that carries a binary as base64. */
export function renderModule(module: WasmModule, binary: Uint8Array): string {
  const base64 = Buffer.from(binary).toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [];
  return [
    `// Generated from ${module.source.replace(/^src\/decoders\/simd\//, '')} by \`npm run build:wasm\`; do not edit.`,
    `export const ${module.exportName} =`,
    ...lines.map((line, i) => `  '${line}'${i === lines.length - 1 ? ';' : ' +'}`),
    '',
  ].join('\n');
}
