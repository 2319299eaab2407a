import { open } from 'node:fs/promises';

/** Buffers a recycling reader rotates through: the chunk being read ahead, and the two the consumer may hold. */
const RECYCLED_BUFFERS = 3;

/**
 * Reads a file in chunks, one read ahead of the consumer, so the copy from the page cache runs on libuv's
 * thread pool while the consumer works on the chunk before.
 *
 * Chunks are fresh buffers until `recycle()` is called. After it they rotate through three buffers, so a
 * chunk stays valid until the consumer has asked for two more chunks. A consumer that copies what it keeps
 * longer (the JSON framings do) calls it: on a 717 MB JSON-lines file, fresh 1 MiB buffers cost about 0.15 s
 * more in page faults and garbage collection than rotating ones. The CSV decoder keeps chunks for as long as
 * a row may need reading again, so it never calls it.
 */
export class FileReader implements AsyncIterable<Buffer> {
  private recycling = false;

  constructor(
    private readonly path: string,
    private readonly chunkBytes: number,
  ) {}

  /** Lets later chunks reuse the memory of chunks the consumer asked for two or more chunks ago. */
  recycle(): void {
    this.recycling = true;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    const handle = await open(this.path, 'r');
    const buffers: Buffer[] = [];
    let turn = 0;
    const nextBuffer = (): Buffer => {
      if (!this.recycling) return Buffer.allocUnsafe(this.chunkBytes);
      if (buffers.length < RECYCLED_BUFFERS) buffers.push(Buffer.allocUnsafe(this.chunkBytes));
      const buffer = buffers[turn % buffers.length];
      turn++;
      return buffer;
    };

    let buffer = nextBuffer();
    let pending: Promise<{ bytesRead: number }> | null = handle.read(buffer, 0, this.chunkBytes, null);
    try {
      for (;;) {
        const { bytesRead } = await pending;
        pending = null;
        if (bytesRead === 0) return;
        const chunk = buffer.subarray(0, bytesRead);
        buffer = nextBuffer();
        pending = handle.read(buffer, 0, this.chunkBytes, null);
        yield chunk;
      }
    } finally {
      // A consumer that stops early leaves a read in flight; the handle closes once it lands.
      if (pending !== null) await pending.catch(() => undefined);
      await handle.close();
    }
  }
}
