import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

const SLOT = Symbol('query-shapes.slot');

/** What a shape's builder puts where a call's value goes; it never reaches a database. */
interface Slot {
  readonly [SLOT]: number;
}

function isSlot(value: unknown): value is Slot {
  return typeof value === 'object' && value !== null && SLOT in value;
}

/** The stand-in for the builder's `index`-th value, typed as the value it stands for. */
export type SlotOf = <T>(index: number) => T;

/** Stand-ins for `count` ids in a row from the `from`-th value: the list of an `in`. */
export function idSlots(value: SlotOf, count: number, from = 0): number[] {
  return Array.from({ length: count }, (_, i) => value<number>(from + i));
}

const slot: SlotOf = <T>(index: number) => Object.freeze({ [SLOT]: index }) as unknown as T;

interface Template {
  readonly compiled: CompiledQuery;
  /** For each parameter of the SQL: the index of the call's value that fills it, or null for a constant of the shape. */
  readonly sources: readonly (number | null)[];
}

/** More shapes than any repository has: a builder keyed by something unbounded is still compiled, only not kept. */
const MAX_SHAPES = 1000;

/**
 * Queries Kysely compiles once per shape instead of once per call. Building
 * and compiling a query costs more than better-sqlite3 takes to run a
 * simple one (about 100 µs each on the hot reads, `npm run bench:read`), and
 * the queries of an authenticated read differ only in their values. A
 * shape's builder is called once with stand-ins for the values; each call
 * then runs the same SQL with its own values in their places. The SQL stays
 * Kysely's, so both dialects keep working, and the compiled query keeps its
 * operation tree, which the SQLite driver reads (storage/wal-sync.ts).
 *
 * `key` names everything the SQL depends on besides the values (e.g. how many
 * ids an `in` lists); one instance serves one database dialect.
 */
export class QueryShapes {
  private readonly templates = new Map<string, Template>();

  async execute<R>(db: Kysely<Database>, key: string, values: readonly unknown[], build: (value: SlotOf) => Compilable<R>): Promise<QueryResult<R>> {
    const template = this.templates.get(key) ?? this.compile(key, values.length, build);
    const parameters = template.sources.map((source, i) => (source === null ? template.compiled.parameters[i] : values[source]));
    return db.executeQuery<R>({ ...template.compiled, parameters } as CompiledQuery<R>);
  }

  async rows<R>(db: Kysely<Database>, key: string, values: readonly unknown[], build: (value: SlotOf) => Compilable<R>): Promise<R[]> {
    return (await this.execute(db, key, values, build)).rows;
  }

  async first<R>(db: Kysely<Database>, key: string, values: readonly unknown[], build: (value: SlotOf) => Compilable<R>): Promise<R | undefined> {
    return (await this.execute(db, key, values, build)).rows[0];
  }

  private compile(key: string, count: number, build: (value: SlotOf) => Compilable<unknown>): Template {
    const compiled = build(slot).compile();
    const sources = compiled.parameters.map((p) => (isSlot(p) ? p[SLOT] : null));
    // A value the builder did not pass to Kysely (used in JavaScript instead) would be silently ignored on later calls.
    for (let i = 0; i < count; i++) {
      if (!sources.includes(i)) throw new Error(`query shape ${key}: value ${i} is not a parameter of the SQL`);
    }
    const template = { compiled, sources };
    if (this.templates.size < MAX_SHAPES) this.templates.set(key, template);
    return template;
  }
}
