import { readFileSync } from 'node:fs';

/**
 * Places of package.json relative to the module that contains this code: the bundle's chunks sit in dist/cli,
 * the separate modules in dist/src/<folder>, and dist/src/sinks/report for the report.
 */
const MANIFEST_PLACES = ['../../package.json', '../../../package.json', '../../../../package.json'];

let version: string | undefined;

/** Returns crackwatch's version from its package.json, or "unknown" when that cannot be found. */
export function toolVersion(): string {
  if (version !== undefined) return version;
  version = 'unknown';
  for (const place of MANIFEST_PLACES) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(place, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'crackwatch' && typeof manifest.version === 'string') {
        version = manifest.version;
        break;
      }
    } catch {
      // No manifest at this place for this copy of the code; try the next.
    }
  }
  return version;
}
