/**
 * Writes the same sign-ins in every layout crackwatch reads, one folder per layout, for trying `inspect` and
 * `scan` by hand. The tests build the same folders in a temporary directory.
 *
 * Usage: node dist/scripts/make-layout-fixtures.js OUTPUT_FOLDER
 */
import { writeLayoutFixtures } from '../test/helpers/layouts.js';

const target = process.argv[2];
if (target === undefined) {
  process.stderr.write('usage: node dist/scripts/make-layout-fixtures.js OUTPUT_FOLDER\n');
  process.exit(2);
}
const folders = writeLayoutFixtures(target);
for (const [set, folder] of Object.entries(folders)) process.stdout.write(`${set}\t${folder}\n`);
