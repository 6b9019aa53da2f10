import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type BlobStore, BlobNotFoundError, type StoredBlob, assertValidKey } from './blob-store.js';
import { FileDigester } from './file-digest.js';

/**
 * Blobs as files under one root directory. A write goes to a temporary file
 * in the target directory, is fsynced, renamed into place and the directory is
 * fsynced, so after a crash a key holds the whole file or nothing
 * (https://queue.acm.org/detail.cfm?id=2801719). Temporary files left by a
 * crash start with `.tmp-` and are removed by `sweepTemporaryFiles`.
 */
export class FsBlobStore implements BlobStore {
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

  async put(key: string, source: Readable): Promise<StoredBlob> {
    const target = this.pathOf(key);
    const dir = path.dirname(target);
    await fs.mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.tmp-${randomUUID()}`);
    let stored: StoredBlob;
    try {
      // `flush` fsyncs the file before it is closed, so the rename below never
      // publishes a file whose bytes are still only in the page cache.
      await pipeline(source, createWriteStream(temp, { flags: 'wx', mode: 0o600, flush: this.options.fsync, highWaterMark: 256 * 1024 }));
      // Hashed from the file just written (still in the page cache) by a worker
      // thread, so the event loop does not spend its time in SHA-256.
      stored = await this.digester.digest(temp);
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    if (this.options.fsync) await fsyncDirectory(dir);
    return stored;
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
