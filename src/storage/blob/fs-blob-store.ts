import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { type BlobStore, BlobNotFoundError, type StoredBlob, assertValidKey } from './blob-store.js';
import { FileDigester } from './file-digest.js';

/**
 * Blobs as files under one root directory. A write goes to a temporary file
 * in the target directory, is fsynced, renamed into place and the directory is
 * fsynced, so after a crash a key holds the whole file or nothing
 * (https://queue.acm.org/detail.cfm?id=2801719). Temporary files left by a
 * crash start with `.tmp-` and are removed by `sweepTemporaryFiles`.
 */
/** Bytes gathered before one write: fewer system calls, and socket chunks die young. */
const WRITE_BUFFER_BYTES = 256 * 1024;

export class FsBlobStore implements BlobStore {
  /** Directories known to exist, so a hot path does not mkdir every time. */
  private readonly knownDirs = new Set<string>();
  /**
   * Write buffers are reused: a fresh 256 KiB buffer per upload is external
   * memory that pushes V8 into full garbage collections.
   */
  private readonly spareBuffers: Buffer[] = [];
  private readonly digester = new FileDigester();

  constructor(
    private readonly root: string,
    private readonly options: { fsync: boolean } = { fsync: true },
  ) {}

  /** Stops the hashing workers. */
  close(): Promise<void> {
    return this.digester.close();
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  /**
   * Copies the source into a buffer of its own and writes it in large
   * slices; a worker thread hashes the file before it is published. The intake benchmark showed the event loop's
   * time going to stream plumbing and to garbage collection of socket chunks
   * kept alive by a chain of streams; a plain loop keeps each chunk short-lived.
   */
  async put(key: string, source: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<StoredBlob> {
    const target = this.pathOf(key);
    const dir = path.dirname(target);
    if (!this.knownDirs.has(dir)) {
      await fs.mkdir(dir, { recursive: true });
      this.knownDirs.add(dir);
    }
    const temp = path.join(dir, `.tmp-${randomUUID()}`);
    let stored: StoredBlob;
    try {
      const handle = await this.openTemp(temp, dir);
      try {
        const size = await this.writeAll(handle, source);
        // Durable before the rename publishes it and before the caller commits
        // a row naming it; hashed meanwhile by a worker from the page cache.
        const [digest] = await Promise.all([this.digester.digest(temp), this.options.fsync ? handle.datasync() : undefined]);
        if (digest.size !== size) throw new Error(`blob ${key}: wrote ${size} bytes but read back ${digest.size}`);
        stored = digest;
      } finally {
        await handle.close();
      }
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    if (this.options.fsync) await fsyncDirectory(dir);
    return stored;
  }

  /** Copies the source into a reused buffer, writing it out whenever it is full. */
  private async writeAll(handle: fs.FileHandle, source: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<number> {
    const buffer = this.spareBuffers.pop() ?? Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
    let size = 0;
    let filled = 0;
    try {
      for await (const chunk of source) {
        size += chunk.length;
        for (let offset = 0; offset < chunk.length; ) {
          const copied = chunk.copy(buffer, filled, offset);
          filled += copied;
          offset += copied;
          if (filled === buffer.length) {
            await writeFully(handle, buffer, filled);
            filled = 0;
          }
        }
      }
      await writeFully(handle, buffer, filled);
    } finally {
      if (this.spareBuffers.length < 64) this.spareBuffers.push(buffer);
    }
    return size;
  }

  private async openTemp(temp: string, dir: string): Promise<fs.FileHandle> {
    try {
      return await fs.open(temp, 'wx', 0o600);
    } catch (error) {
      if (!isMissing(error)) throw error;
      // The directory went away behind our back (an operator's clean-up).
      await fs.mkdir(dir, { recursive: true });
      return fs.open(temp, 'wx', 0o600);
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    try {
      const handle = await fs.open(file, 'r');
      return handle.createReadStream({ highWaterMark: 1 << 20 });
    } catch (error) {
      if (isMissing(error)) throw new BlobNotFoundError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      await fs.access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async *list(prefix: string): AsyncIterable<{ key: string; modifiedAt: Date }> {
    const base = prefix === '' ? this.root : this.pathOf(prefix.replace(/\/$/, ''));
    for await (const file of walkFiles(base)) {
      if (path.basename(file).startsWith('.tmp-')) continue;
      const stat = await fs.stat(file);
      yield { key: path.relative(this.root, file).split(path.sep).join('/'), modifiedAt: stat.mtime };
    }
  }

  /** Removes temporary files older than `olderThanMs` that a crash left behind. */
  async sweepTemporaryFiles(olderThanMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    for await (const file of walkFiles(this.root)) {
      if (!path.basename(file).startsWith('.tmp-')) continue;
      const stat = await fs.stat(file);
      if (now - stat.mtimeMs > olderThanMs) {
        await fs.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

/** Every regular file below `dir`, depth first; a missing directory has none. */
async function* walkFiles(dir: string): AsyncIterable<string> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkFiles(full);
    else if (entry.isFile()) yield full;
  }
}

async function writeFully(handle: fs.FileHandle, buffer: Buffer, length: number): Promise<void> {
  let written = 0;
  while (written < length) {
    const { bytesWritten } = await handle.write(buffer, written, length - written);
    written += bytesWritten;
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'ENOENT';
}
