import { open as openFile, stat } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import { LOG_FILE_EXTENSIONS } from './inputs.js';
import { openStream, type OpenedInput } from './open.js';

/**
 * Zip archives: each member is read as an input of its own, named "archive.zip!member.json". Members are
 * streamed one at a time (yauzl reads the central directory and inflates on demand), so memory does not
 * grow with the archive. Limits on the bytes inflated and on the inflation ratio stop zip bombs. A member over
 * a limit is reported, and the other members are still read.
 */

/** Limits on what an archive may inflate to. */
export interface ArchiveLimits {
  /** Most bytes inflated from one archive, all members together. */
  readonly maxTotalBytes: number;
  /** Largest ratio of a member's inflated size to its compressed size. */
  readonly maxRatio: number;
  /** Members that inflate to fewer bytes than this are not held to the ratio, since tiny files compress oddly. */
  readonly ratioFloorBytes: number;
}

// NOTE: these bound work, not memory, because members are streamed. Published sign-in exports deflate 6 to 14
// times (gzip -9) and the staged, repetitive attack sample 42 times. A genuine archive past 200:1 is still
// rejected and must be extracted by hand.
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxTotalBytes: 64 * 1024 ** 3,
  maxRatio: 200,
  ratioFloorBytes: 16 * 1024 ** 2,
};

/** One member of an archive: opened, or the reason it was not read. */
export type ArchiveMember =
  | { readonly kind: 'opened'; readonly name: string; readonly opened: OpenedInput; readonly finished: () => Promise<void> }
  | { readonly kind: 'rejected'; readonly name: string; readonly message: string }
  | { readonly kind: 'ignored'; readonly name: string };

const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_EMPTY_ARCHIVE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** Tells whether bytes start like a zip archive (a local file header, or the end record of an empty one). */
export function isZipHead(head: Buffer): boolean {
  return head.length >= 4 && (head.subarray(0, 4).equals(ZIP_LOCAL_HEADER) || head.subarray(0, 4).equals(ZIP_EMPTY_ARCHIVE));
}

/** Tells whether a file on disk is a zip archive, by its first four bytes. */
export async function isZipFile(path: string): Promise<boolean> {
  // A pipe or device cannot be read twice: peeking at it here would consume the bytes the scan needs.
  const info = await stat(path).catch(() => null);
  if (info === null || !info.isFile()) return false;

  let handle;
  try {
    handle = await openFile(path, 'r');
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return isZipHead(head.subarray(0, bytesRead));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** Error for a member stopped by a limit; its message names the limit. */
export class ArchiveLimitError extends Error {
  readonly code = 'CW_ARCHIVE_LIMIT';
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveLimitError';
  }
}

/** Counts inflated bytes and fails the stream as soon as a member passes a limit; a second line behind yauzl's own size checks. */
export class InflationGuard extends Transform {
  private bytes = 0;

  constructor(
    private readonly compressedBytes: number,
    private readonly remainingTotal: number,
    private readonly limits: ArchiveLimits,
  ) {
    super();
  }

  get inflatedBytes(): number {
    return this.bytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.remainingTotal) {
      callback(new ArchiveLimitError(`archive inflates to more than ${this.limits.maxTotalBytes} bytes in all; extract it and scan the files`));
      return;
    }
    if (this.bytes > this.limits.ratioFloorBytes && this.bytes > Math.max(this.compressedBytes, 1) * this.limits.maxRatio) {
      callback(new ArchiveLimitError(`member inflates more than ${this.limits.maxRatio} times its compressed size (a zip bomb?); extract it by hand if it is genuine`));
      return;
    }
    callback(null, chunk);
  }
}

function hasLogExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return LOG_FILE_EXTENSIONS.some((extension) => extension !== '.zip' && lower.endsWith(extension));
}

/**
 * Decodes a member's name. yauzl's own decoding rejects the whole archive at a name such as "../x.json".
 * crackwatch extracts nothing to disk, so such a name is harmless and only displayed (escaped).
 * NOTE: names without the UTF-8 flag are CP437 by the zip specification. They are read as Latin-1, which
 * differs only outside ASCII.
 */
function memberName(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer | string;
  if (typeof raw === 'string') return raw;
  return (entry.generalPurposeBitFlag & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1');
}

async function openZip(path: string): Promise<ZipFile> {
  // Loaded on first use, because most scans read no archive.
  const { default: yauzl } = await import('yauzl');
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: true, decodeStrings: false }, (error, zip) => {
      if (error !== null) reject(error);
      else resolve(zip);
    });
  });
}

function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: Entry): void => {
      cleanup();
      resolve(entry);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error !== null) reject(error);
      else resolve(stream);
    });
  });
}

/**
 * Yields the members of a zip archive in their stored order. The caller must read each opened member to its
 * end (or stop reading it) and await `finished()` before asking for the next one, because entries are
 * inflated on demand from one file handle. Folders are passed over; members whose names are not log files
 * are yielded as ignored, nested archives as rejected.
 */
export async function* readZipMembers(path: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): AsyncGenerator<ArchiveMember> {
  const zip = await openZip(path);
  let inflated = 0;
  try {
    for (;;) {
      const entry = await nextEntry(zip);
      if (entry === null) return;
      const fileName = memberName(entry);
      if (fileName.endsWith('/')) continue;

      const name = `${path}!${fileName}`;
      if (fileName.toLowerCase().endsWith('.zip')) {
        yield { kind: 'rejected', name, message: 'archive inside an archive is not read; extract it first' };
        continue;
      }
      if (!hasLogExtension(fileName)) {
        yield { kind: 'ignored', name };
        continue;
      }

      const remaining = limits.maxTotalBytes - inflated;
      // The sizes written in the archive are checked first; yauzl then fails a member that inflates past them.
      if (entry.uncompressedSize > remaining) {
        yield { kind: 'rejected', name, message: `member would inflate to ${entry.uncompressedSize} bytes, past the archive limit of ${limits.maxTotalBytes} bytes in all; extract it and scan the files` };
        continue;
      }
      if (entry.uncompressedSize > limits.ratioFloorBytes && entry.uncompressedSize > Math.max(entry.compressedSize, 1) * limits.maxRatio) {
        yield { kind: 'rejected', name, message: `member would inflate ${Math.round(entry.uncompressedSize / Math.max(entry.compressedSize, 1))} times its compressed size, past the limit of ${limits.maxRatio} (a zip bomb?); extract it by hand if it is genuine` };
        continue;
      }

      let stream: NodeJS.ReadableStream;
      try {
        stream = await openEntry(zip, entry);
      } catch (error) {
        yield { kind: 'rejected', name, message: `cannot read member: ${(error as Error).message}` };
        continue;
      }
      const guard = new InflationGuard(entry.compressedSize, remaining, limits);
      stream.on('error', (error: Error) => {
        // yauzl checks the inflated bytes against the sizes the archive declares; a mismatch is how lying zip bombs look.
        const lied = /too many bytes in the stream/.test(error.message);
        guard.destroy(lied ? new ArchiveLimitError(`member inflates past the ${entry.uncompressedSize} bytes its archive declares (a zip bomb?)`) : error);
      });
      stream.pipe(guard);

      const done = new Promise<void>((resolve) => {
        guard.once('close', resolve);
        guard.once('end', resolve);
        guard.once('error', () => resolve());
      });
      let opened: OpenedInput;
      try {
        opened = await openStream(guard[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
      } catch (error) {
        guard.destroy();
        await done;
        yield { kind: 'rejected', name, message: (error as Error).message };
        continue;
      }
      yield {
        kind: 'opened',
        name,
        opened,
        finished: async () => {
          // A member left unread is drained, so the archive can move on to the next entry.
          if (!guard.readableEnded && !guard.destroyed) guard.destroy();
          (stream as unknown as { destroy?: () => void }).destroy?.();
          await done;
          inflated += guard.inflatedBytes;
        },
      };
    }
  } finally {
    zip.close();
  }
}
