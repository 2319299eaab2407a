import { realpathSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** One thing to read: a file on disk or standard input. */
export type Input = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'stdin' };

/** An argument that named nothing readable; reported, and the other inputs are still read. */
export interface InputProblem {
  readonly argument: string;
  readonly message: string;
}

export interface ResolvedInputs {
  readonly inputs: Input[];
  readonly problems: InputProblem[];
  /** Files found in folders but not read because their extension is not one sign-in logs are stored in. */
  readonly ignored: string[];
}

/**
 * Extensions read when walking a folder. A file named on the command line is always read, whatever its name,
 * so a folder's README or spreadsheet is not mistaken for logs but nothing the user names is passed over.
 */
export const LOG_FILE_EXTENSIONS = ['.json', '.jsonl', '.ndjson', '.csv', '.log', '.txt', '.gz', '.zip'];

function hasLogExtension(file: string): boolean {
  const lower = file.toLowerCase();
  return LOG_FILE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

const STDIN_NAMES = ['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0'];

function realpathOrResolve(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

async function walk(directory: string, files: string[]): Promise<void> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      await walk(full, files);
    } else if (entry.isFile()) {
      files.push(full);
    } else if (entry.isSymbolicLink()) {
      // Follow links to files; links to folders are not followed, so a link cycle cannot loop. A broken
      // link is kept as a file, so that opening it fails and the summary names it instead of dropping it.
      const target = await stat(full).catch(() => null);
      if (target === null || target.isFile()) files.push(full);
    }
  }
}

/**
 * Expands command-line arguments into inputs: files, folders (recursively, in name order), glob patterns,
 * and `-` (or no argument at all) for standard input. A file named twice is read once.
 */
export async function resolveInputs(argumentsList: readonly string[]): Promise<ResolvedInputs> {
  if (argumentsList.length === 0) return { inputs: [{ kind: 'stdin' }], problems: [], ignored: [] };

  const inputs: Input[] = [];
  const problems: InputProblem[] = [];
  const ignored: string[] = [];
  const seen = new Set<string>();
  let stdinAdded = false;

  // A file reached twice (named twice, or through a link) is read once, so its rows are not counted twice.
  const addFile = (file: string): void => {
    const key = realpathOrResolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    inputs.push({ kind: 'file', path: file });
  };

  for (const argument of argumentsList) {
    // Standard input can be a socket, which cannot be opened again by name, so its names mean "-".
    if (argument === '-' || STDIN_NAMES.includes(argument)) {
      if (!stdinAdded) inputs.push({ kind: 'stdin' });
      stdinAdded = true;
      continue;
    }

    let info;
    try {
      info = await stat(argument);
    } catch {
      info = null;
    }

    if (info?.isFile() || info?.isFIFO() || info?.isCharacterDevice()) {
      // Pipes and devices (<(command), /dev/tty) are read like files.
      addFile(argument);
    } else if (info?.isDirectory()) {
      const files: string[] = [];
      try {
        await walk(argument, files);
      } catch (error) {
        problems.push({ argument, message: `cannot read folder: ${(error as Error).message}` });
        continue;
      }
      const logFiles = files.filter(hasLogExtension);
      ignored.push(...files.filter((file) => !hasLogExtension(file)));
      if (logFiles.length === 0) problems.push({ argument, message: `folder contains no ${LOG_FILE_EXTENSIONS.join(' ')} files` });
      for (const file of logFiles) addFile(file);
    } else {
      // Loaded only here: most scans name files and folders, and the glob matcher takes a while to load.
      const { glob, isDynamicPattern } = await import('tinyglobby');
      if (isDynamicPattern(argument)) {
        const files = (await glob(argument, { onlyFiles: true, dot: false, expandDirectories: false })).sort();
        if (files.length === 0) problems.push({ argument, message: 'pattern matches no files' });
        for (const file of files) addFile(file);
      } else {
        problems.push({ argument, message: 'file not found' });
      }
    }
  }

  return { inputs, problems, ignored };
}

export function inputName(input: Input): string {
  return input.kind === 'stdin' ? '-' : input.path;
}
