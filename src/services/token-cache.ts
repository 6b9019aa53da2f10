import type { TokenOwner } from '../storage/repositories/api-client.repository.js';

/** Tokens remembered at most; each entry is a few hundred bytes. */
export const TOKEN_CACHE_CAPACITY = 10_000;

/**
 * The owners of access tokens looked up in the last few seconds, by the
 * token's hash (never the token), so that a client's burst of reads does not
 * look its token up in the database for each request. Bounded in time (the
 * TTL, OPENRETINA_TOKEN_CACHE_SECONDS) and in size (least recently used
 * first out).
 *
 * What this process changes it forgets at once (`forgetToken`,
 * `forgetClient`); a change made by another process sharing the database
 * (another API process, the CLI) is seen once the entry's TTL ends. That is
 * why only safe requests (GET, HEAD) may use an entry: a write always reads
 * the token from the database, so a case is never filed under a center the
 * client has just left or lost (services/auth.service.ts).
 */
export class TokenCache {
  private readonly entries = new Map<string, { readonly owner: TokenOwner; readonly until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly capacity = TOKEN_CACHE_CAPACITY,
    /** Monotonic milliseconds: a TTL must not stretch or shrink with the wall clock. */
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The owner found for this hash within the TTL, or undefined. */
  get(tokenHash: string): TokenOwner | undefined {
    const entry = this.entries.get(tokenHash);
    if (entry === undefined) return undefined;
    if (entry.until <= this.clock()) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    // Most recently used last: the first key is the one to drop when full.
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, entry);
    return entry.owner;
  }

  set(tokenHash: string, owner: TokenOwner): void {
    if (this.ttlMs <= 0 || this.capacity <= 0) return;
    this.entries.delete(tokenHash);
    while (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(tokenHash, { owner, until: this.clock() + this.ttlMs });
  }

  /** After this process changed a token (its active center). */
  forgetToken(tokenId: number): void {
    for (const [hash, entry] of this.entries) if (entry.owner.tokenId === tokenId) this.entries.delete(hash);
  }

  /** After this process changed a client (revoked it, rotated its secret, changed its centers): every token of it. */
  forgetClient(apiClientId: number): void {
    for (const [hash, entry] of this.entries) if (entry.owner.apiClientId === apiClientId) this.entries.delete(hash);
  }
}
