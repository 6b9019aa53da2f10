import { createHash, randomUUID } from 'node:crypto';
import { type Stats, constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { type BlobSource, type BlobStore, BlobNotFoundError, type ByteRange, type PutOptions, type StoredBlob, assertValidKey, assertValidRange } from './blob-store.js';

/**
 * Blobs as files under one root directory. A write goes to a temporary file
 * in the target directory, is fsynced, renamed into place and the directory is
 * fsynced, so after a crash a key holds the whole file or nothing
 * (https://queue.acm.org/detail.cfm?id=2801719). Temporary files left by a
 * crash start with `.tmp-` and are removed by `sweepUnfinishedWrites`.
 */
export class FsBlobStore implements BlobStore {
  /** Directories known to exist, so a hot path does not mkdir every time. */
  private readonly knownDirs = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly options: { fsync: boolean } = { fsync: true },
  ) {}

  private pathOf(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, source: BlobSource, options: PutOptions = {}): Promise<StoredBlob> {
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
        stored = await writeChunks(handle, source, options.digest ?? true);
        // Durable before the rename publishes it and before the caller commits a row naming it.
        if (this.options.fsync) await handle.datasync();
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

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    if (range) assertValidRange(range);
    try {
      const handle = await fs.open(file, 'r');
      return handle.createReadStream({ highWaterMark: 1 << 20, start: range?.start, end: range?.end });
    } catch (error) {
      if (isMissing(error)) throw new BlobNotFoundError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }

  async checkWritable(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    // W_OK on the directory: new files can be created in it (a read-only mount or lost permission fails here).
    await fs.access(this.root, fsConstants.W_OK);
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
      const stat = await statIfPresent(file);
      if (stat) yield { key: path.relative(this.root, file).split(path.sep).join('/'), modifiedAt: stat.mtime };
    }
  }

  /** Removes temporary files (`.tmp-*`) older than `olderThanMs` that a crash left behind. */
  async sweepUnfinishedWrites(olderThanMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    for await (const file of walkFiles(this.root)) {
      if (!path.basename(file).startsWith('.tmp-')) continue;
      const stat = await statIfPresent(file);
      if (stat && now - stat.mtimeMs > olderThanMs) {
        await fs.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

/**
 * The file's status, or null when it went away since it was listed: a write
 * renamed its temporary file into place, a failed upload removed its blob.
 */
async function statIfPresent(file: string): Promise<Stats | null> {
  try {
    return await fs.stat(file);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
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

/** Bytes gathered before one write: fewer system calls and thread-pool round trips. */
const WRITE_BATCH_BYTES = 256 * 1024;
/**
 * Chunks gathered before one write, whatever their size: a client that
 * trickles its body arrives in tiny chunks, and one `writev` takes at most
 * IOV_MAX (1024) of them.
 */
const WRITE_BATCH_CHUNKS = 256;
/**
 * Bytes that all uploads together may hold in gathered batches. Past it, an
 * upload writes what it has and waits for that write before reading on, so
 * memory stays bounded however many uploads run (the socket then holds the rest).
 * 8 MiB rather than 32: at 64 clients the peak RSS went from 283 to 263 MB
 * with the same throughput (130 and 141 uploads/s); at 4 MiB uploads began
 * to wait on each other (115/s). `npm run bench:intake`, bench/README.md.
 */
const BUFFERED_BUDGET_BYTES = 8 * 1024 * 1024;

/** The bytes every upload into this process holds, gathered and not yet written. */
class WriteBudget {
  private held = 0;

  constructor(private readonly limit: number) {}

  take(bytes: number): void {
    this.held += bytes;
  }

  give(bytes: number): void {
    this.held -= bytes;
  }

  get exceeded(): boolean {
    return this.held > this.limit;
  }
}

const budget = new WriteBudget(BUFFERED_BUDGET_BYTES);

/**
 * Streams `source` into `handle`, a batch of chunks at a time with one
 * `writev`, while the next batch is being received. The chunks are written
 * as they are, not copied into a buffer of ours, and hashed as they pass
 * (still in the CPU's cache) rather than read back from the file. An upload
 * holds at most two batches: one being written, one being gathered.
 * (`npm run bench:intake`: copying cost more kernel time than it saved, and
 * reading back to hash was a second pass over every byte.)
 */
async function writeChunks(handle: fs.FileHandle, source: BlobSource, digest: boolean): Promise<StoredBlob> {
  const hash = digest ? createHash('sha256') : null;
  let size = 0;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let writing: Promise<void> | null = null;
  const flush = async (): Promise<void> => {
    if (writing) await writing;
    const bytes = batchBytes;
    writing = writeAllv(handle, batch).finally(() => budget.give(bytes));
    batch = [];
    batchBytes = 0;
  };
  try {
    for await (const chunk of source) {
      hash?.update(chunk);
      size += chunk.length;
      batch.push(chunk);
      batchBytes += chunk.length;
      budget.take(chunk.length);
      if (batchBytes >= WRITE_BATCH_BYTES || batch.length >= WRITE_BATCH_CHUNKS) await flush();
      else if (budget.exceeded) {
        // Waits on its own write only, so uploads over budget never wait on each other.
        await flush();
        await writing;
      }
    }
    if (batch.length > 0) await flush();
    if (writing) await writing;
    writing = null;
  } finally {
    budget.give(batchBytes);
    // A failed source must not leave a write running against a handle about to close.
    if (writing) await (writing as Promise<void>).catch(() => {});
  }
  return { size, sha256: hash ? hash.digest('hex') : null };
}

async function writeAllv(handle: fs.FileHandle, buffers: Buffer[]): Promise<void> {
  let pending = buffers;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending);
    pending = dropWritten(pending, bytesWritten);
  }
}

/** What remains of `buffers` after a (possibly partial) write of `bytes`. */
function dropWritten(buffers: Buffer[], bytes: number): Buffer[] {
  let skip = bytes;
  let i = 0;
  while (i < buffers.length && skip >= buffers[i]!.length) skip -= buffers[i++]!.length;
  if (i === buffers.length) return [];
  return [buffers[i]!.subarray(skip), ...buffers.slice(i + 1)];
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
