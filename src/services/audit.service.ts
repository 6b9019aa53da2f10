import type { AuditAction, AuditActorKind, AuditEntry, AuditObject, AuditRecord, ChainVerdict } from '../domain/audit.js';
import { ChainWalker } from '../domain/audit.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { type FieldIssue, ValidationError } from '../domain/errors.js';
import type { UserPrincipal } from '../domain/principal.js';
import { GroupCommit } from './group-commit.js';
import type { ServiceContext } from './context.js';

export interface AuditQuery {
  readonly caseId?: number;
  readonly actorKind?: AuditActorKind;
  readonly actorId?: number;
  /** ISO 8601 date-times: from inclusive, to exclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly nextCursor: string | null;
}

const DEFAULT_PAGE = 100;
const VERIFY_PAGE = 1000;

/**
 * The audit trail (domain/audit.ts): appending entries for the HTTP layer's
 * one hook and the CLI, verifying the chain, and the administrators' query.
 */
export class AuditService {
  /** Appends under way that nobody awaits (`recordQuietly`): `settled()` waits for them, and so does closing the platform. */
  private readonly pending = new Set<Promise<void>>();
  /** Every append of this process goes through it: one transaction (and one disk flush) for all entries queued together. */
  private readonly queue: GroupCommit<AuditRecord, void>;

  constructor(private readonly ctx: ServiceContext) {
    this.queue = new GroupCommit(ctx.db, {
      write: (db, record) => ctx.repos.audit.append(db, record),
      writeBatch: async (trx, records) => {
        await ctx.repos.audit.appendAll(trx, records);
        return records.map(() => undefined);
      },
    });
  }

  /**
   * Appends one entry, time-stamped now unless it says when: resolves once
   * it is written (with the entries queued beside it), throws when it cannot.
   */
  async record(entry: Omit<AuditRecord, 'occurredAt'> & { readonly occurredAt?: string }): Promise<void> {
    await this.queue.submit({ ...entry, occurredAt: entry.occurredAt ?? this.ctx.now().toISOString() });
  }

  /**
   * Appends without ever failing the caller: what goes wrong is handed to
   * `onError` (the request's log), entry by entry. Recording must not fail
   * a request that has already been answered.
   */
  recordQuietly(entry: Omit<AuditRecord, 'occurredAt'> & { readonly occurredAt?: string }, onError: (error: unknown) => void): Promise<void> {
    const appending: Promise<void> = this.record(entry)
      .catch(onError)
      .finally(() => this.pending.delete(appending));
    this.pending.add(appending);
    return appending;
  }

  /** Resolves once every append started so far has ended. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.queue.idle();
  }

  /**
   * An administrative action done on the command line: the actor is `cli`,
   * and the entry names the organisation (and center) of the object.
   */
  async recordAdministration(action: AuditAction, object: AuditObject | null, status: number): Promise<void> {
    const scope = object === null ? { organisationId: null, centerId: null } : await this.ctx.repos.audit.scopeOf(this.ctx.db, object);
    await this.record({ actor: { kind: 'cli', id: null }, ...scope, caseId: null, action, object, requestId: null, status });
  }

  /** Walks the whole chain in order: ok with the count, or the first entry where it breaks. */
  async verify(): Promise<ChainVerdict> {
    const { db, repos } = this.ctx;
    // The head first: entries appended while the walk runs lie beyond it and are left for the next run.
    const head = await repos.audit.head(db);
    const walker = new ChainWalker();
    for (let after = 0; after < head.seq; ) {
      const page = await repos.audit.page(db, after, Math.min(VERIFY_PAGE, head.seq - after));
      const broken = walker.check(page);
      if (broken) return { ok: false, count: walker.count, broken };
      if (page.length === 0) break;
      after = page[page.length - 1]!.seq;
    }
    const broken = walker.finish(head);
    return broken ? { ok: false, count: walker.count, broken } : { ok: true, count: walker.count };
  }

  /** An administrator's view: entries of their organisation (and those naming none), newest first. */
  async list(principal: UserPrincipal, query: AuditQuery): Promise<AuditPage> {
    this.ctx.access.require(principal, 'admin');
    const issues: FieldIssue[] = [];
    // A person and an API client may share an id: an actor is its kind and id together.
    if (query.actorId !== undefined && query.actorKind === undefined) issues.push({ field: 'actor_kind', rule: 'required', message: 'is required with actor_id' });
    const instant = (field: 'from' | 'to', value: string | undefined): string | undefined => {
      if (value === undefined) return undefined;
      const time = new Date(value);
      if (Number.isNaN(time.getTime())) issues.push({ field, rule: 'format', message: 'must be a date-time' });
      return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
    };
    const from = instant('from', query.from);
    const to = instant('to', query.to);
    let beforeSeq: number | undefined;
    if (query.cursor !== undefined) {
      const decoded = decodeCursor(query.cursor);
      if (decoded === null) issues.push({ field: 'cursor', rule: 'format', message: 'is not a cursor this server issued' });
      else beforeSeq = decoded;
    }
    if (issues.length > 0) throw new ValidationError(issues);
    const limit = query.limit ?? DEFAULT_PAGE;
    const entries = await this.ctx.repos.audit.list(this.ctx.db, {
      organisationId: principal.organisationId,
      caseId: query.caseId,
      actorKind: query.actorKind,
      actorId: query.actorId,
      from,
      to,
      beforeSeq,
      limit: limit + 1,
    });
    const page = entries.slice(0, limit);
    return { entries: page, nextCursor: entries.length > limit ? encodeCursor(page[page.length - 1]!.seq) : null };
  }
}
