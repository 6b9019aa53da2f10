import dns, { type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Pool, buildConnector } from 'undici';
import { type CallbackAllowList, checkAddress, hostOf } from '../domain/callback-target.js';

/** Resolves a host name to every address it has (`dns.lookup` with `all`, by default). */
export type Resolve = (hostname: string) => Promise<readonly LookupAddress[]>;

const systemResolve: Resolve = (hostname) => dns.promises.lookup(hostname, { all: true });

export interface CallbackAgentsOptions {
  readonly allow: CallbackAllowList;
  /** Connections kept open per destination (the worker's concurrency). */
  readonly maxSocketsPerDestination: number;
  /** Destinations (agents) kept at most; the least recently used idle one goes first. */
  readonly maxDestinations?: number;
  /** An idle connection is closed, and an unused destination dropped, after this long. */
  readonly idleMs?: number;
  /** A name's checked address is used this long, then the name is resolved and checked again. */
  readonly dnsTtlMs?: number;
  readonly resolve?: Resolve;
  /** Milliseconds, for the idle and DNS clocks (tests move it). */
  readonly now?: () => number;
}

/** Where one attempt goes: the connections to send with, or why nothing may be sent. */
export type Destination = { readonly ok: true; readonly pool: Pool; readonly release: () => void } | { readonly ok: false; readonly error: string };

interface Pin {
  readonly address: string;
  readonly family: number;
  readonly expires: number;
}

/** A host's check: under way, and once settled with an address, that address (read without waiting). */
interface PinEntry {
  readonly pending: Promise<Pin | string>;
  settled: Pin | null;
}

interface Entry {
  readonly pool: Pool;
  lastUsed: number;
  inUse: number;
}

/** Why a connection was refused, as an error the attempt reports. */
const notAllowed = (message: string): Error => Object.assign(new Error(`address not allowed: ${message}`), { code: 'EADDRNOTALLOWED' });

/**
 * Keep-alive connections for callbacks, one pool (undici) per destination:
 * the origin together with the address it was pinned to. A name is
 * resolved, and only addresses that pass the callback rules are kept (the
 * first is pinned); every new connection of the pool goes to that address
 * and is checked again once connected, before any byte is sent, so a name
 * that answers a public address to a check and a private one to the
 * connection (DNS rebinding) has no way in. After `dnsTtlMs` the name is
 * resolved and checked afresh: a changed address is a new destination, and
 * the old pool's connections idle out. Reusing an open connection needs no
 * check: it was checked when it opened. undici rather than node:http: a
 * callback costs its client about 30 µs of CPU against node:http's 45
 * (a throwaway probe against bench/callback-receiver.ts), and a burst of
 * signatures sends thousands. Only the sender's thread imports this module:
 * the API's own process never loads undici (several megabytes resident;
 * imported at start it pushed idle RSS past its 120 MB line).
 */
export class CallbackAgents {
  private readonly agents = new Map<string, Entry>();
  private readonly pins = new Map<string, PinEntry>();
  private readonly maxDestinations: number;
  private readonly idleMs: number;
  private readonly dnsTtlMs: number;
  private readonly resolve: Resolve;
  private readonly now: () => number;

  constructor(private readonly options: CallbackAgentsOptions) {
    this.maxDestinations = options.maxDestinations ?? 64;
    this.idleMs = options.idleMs ?? 10_000;
    this.dnsTtlMs = options.dnsTtlMs ?? 30_000;
    this.resolve = options.resolve ?? systemResolve;
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * The pool for `url`, its address checked; `release` once the attempt is
   * over. At once (no promise) when the host's checked address is known and
   * fresh, as it is for every attempt but a destination's first in each TTL:
   * one promise less on every callback sent.
   */
  acquire(url: URL): Destination | Promise<Destination> {
    const host = hostOf(url);
    // Admitted by name: no address is checked, as at case creation.
    if (this.options.allow.hosts.has(host)) return this.destination(url, host, null);
    const known = this.pins.get(host)?.settled;
    if (known && known.expires > this.now()) return this.destination(url, host, known);
    return this.pinFor(host).then((found) => (typeof found === 'string' ? { ok: false, error: found } : this.destination(url, host, found)));
  }

  private destination(url: URL, host: string, pin: Pin | null): Destination {
    const key = `${url.protocol}//${host}:${url.port}|${pin?.address ?? ''}`;
    const now = this.now();
    this.sweep(now);
    let entry = this.agents.get(key);
    if (entry) this.agents.delete(key);
    else entry = { pool: this.newPool(url, pin), lastUsed: now, inUse: 0 };
    // Re-inserted last: the map's order is the order of last use.
    this.agents.set(key, entry);
    entry.inUse++;
    entry.lastUsed = now;
    const used = entry;
    let released = false;
    return {
      ok: true,
      pool: used.pool,
      release: () => {
        if (released) return;
        released = true;
        used.inUse--;
        used.lastUsed = this.now();
      },
    };
  }

  /** Closes every connection (shutdown). */
  close(): void {
    for (const entry of this.agents.values()) void entry.pool.destroy();
    this.agents.clear();
    this.pins.clear();
  }

  /** Destinations kept now (tests). */
  get size(): number {
    return this.agents.size;
  }

  private newPool(url: URL, pin: Pin | null): Pool {
    const allow = this.options.allow;
    const connectTo = buildConnector({});
    // Every new connection goes to the pinned address (the name still names the server to TLS), and is checked once
    // more when it is open. A host admitted by name is connected to by name, unchecked, as at case creation.
    const connect: buildConnector.connector = (options, callback) => {
      if (pin === null) return connectTo(options, callback);
      const check = checkAddress(pin.address, allow);
      if (!check.ok) return callback(notAllowed(check.message), null);
      // An IP literal names no server to TLS (SNI carries names only); a URL spells an IPv6 one in brackets.
      const servername = isIP(options.hostname.replace(/^\[(.*)\]$/, '$1')) ? undefined : options.hostname;
      connectTo({ ...options, hostname: pin.address, ...(servername === undefined ? {} : { servername }) }, (error, socket) => {
        if (error !== null) return callback(error, null);
        const peer = socket.remoteAddress;
        if (peer === undefined || !checkAddress(peer, allow).ok) {
          socket.destroy();
          return callback(notAllowed(`connected to ${peer ?? 'an unknown address'}`), null);
        }
        callback(null, socket);
      });
    };
    return new Pool(url.origin, {
      connections: this.options.maxSocketsPerDestination,
      connect,
      // Connections idle this long are closed by the pool.
      keepAliveTimeout: this.idleMs,
      keepAliveMaxTimeout: this.idleMs,
    });
  }

  /** The checked address of `host` (an IP literal is its own), or why none may be used. */
  private pinFor(host: string): Promise<Pin | string> {
    const now = this.now();
    const cached = this.pins.get(host);
    if (cached) return cached.pending.then((pin) => (typeof pin !== 'string' && pin.expires > now ? pin : this.lookupAndCheck(host, now)));
    return this.lookupAndCheck(host, now);
  }

  private lookupAndCheck(host: string, now: number): Promise<Pin | string> {
    const entry: PinEntry = { pending: this.check(host, now), settled: null };
    // Refusals and failures are not kept: the next attempt asks again.
    this.pins.set(host, entry);
    void entry.pending.then((pin) => {
      if (this.pins.get(host) !== entry) return;
      if (typeof pin === 'string') this.pins.delete(host);
      else entry.settled = pin;
    });
    return entry.pending;
  }

  private async check(host: string, now: number): Promise<Pin | string> {
    const expires = now + this.dnsTtlMs;
    if (ipaddr.isValid(host)) {
      const check = checkAddress(host, this.options.allow);
      return check.ok ? { address: host, family: host.includes(':') ? 6 : 4, expires: Number.POSITIVE_INFINITY } : `address not allowed: ${check.message}`;
    }
    let addresses: readonly LookupAddress[];
    try {
      addresses = await this.resolve(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      return `${code}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
    }
    const permitted = addresses.find((a) => checkAddress(a.address, this.options.allow).ok);
    if (!permitted) return `address not allowed: ${host} resolves to ${addresses.map((a) => a.address).join(', ')}`;
    return { address: permitted.address, family: permitted.family, expires };
  }

  /** Drops destinations unused for `idleMs`, and the least recently used idle ones above the bound. */
  private sweep(now: number): void {
    let excess = this.agents.size - this.maxDestinations + 1;
    for (const [key, entry] of this.agents) {
      if (entry.inUse > 0) continue;
      if (excess > 0 || now - entry.lastUsed >= this.idleMs) {
        void entry.pool.destroy();
        this.agents.delete(key);
        excess--;
      }
    }
    if (this.pins.size > this.maxDestinations * 4) this.pins.clear();
  }
}
