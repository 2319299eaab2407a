import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './records.js';

/**
 * Returns the folder of published sign-in samples that may not be copied into the repository: `shared/` beside
 * the checkout (as CI lays it out), else the workplace's copy. Returns null when neither exists.
 */
export function corpusFolder(): string | null {
  for (const candidate of [path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'public'), '/work/shared/corpus/public']) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}
