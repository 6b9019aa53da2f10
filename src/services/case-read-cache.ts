import type { Case } from '../domain/case.js';
import type { RevisedCase } from '../storage/repositories/case.repository.js';

/** Cases remembered at most; each is a few kilobytes (more with many images). */
export const CASE_READ_CACHE_CAPACITY = 500;

/**
 * Cases this process has read lately, each with the revision it was read at
 * (migration 0031: the database advances it on every change to the case or
 * its parts, whichever process makes it). A read asks the database for the
 * case's current revision, with the caller's access check in the same
 * query, and answers the case kept here when the revision is the same, so
 * that a client polling a case costs one indexed lookup instead of reading
 * and mapping the case, its images, reports and requests each time. Nothing
 * is answered without asking the database: a change made a moment ago by
 * another process is seen on the next read.
 *
 * A case kept here is shared by every read that finds it: callers must not
 * change it (its types are read-only). Least recently used first out.
 */
export class CaseReadCache {
  private readonly entries = new Map<number, RevisedCase>();

  constructor(private readonly capacity = CASE_READ_CACHE_CAPACITY) {}

  get size(): number {
    return this.entries.size;
  }

  /** The case kept for this id if it was read at `revision`. */
  at(caseId: number, revision: number): Case | undefined {
    const entry = this.entries.get(caseId);
    if (entry === undefined || entry.revision !== revision) return undefined;
    // Most recently used last: the first key is the one to drop when full.
    this.entries.delete(caseId);
    this.entries.set(caseId, entry);
    return entry.case;
  }

  has(caseId: number): boolean {
    return this.entries.has(caseId);
  }

  keep(found: RevisedCase): void {
    if (this.capacity <= 0) return;
    const id = found.case.id;
    this.entries.delete(id);
    while (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, found);
  }

  forget(caseId: number): void {
    this.entries.delete(caseId);
  }
}
