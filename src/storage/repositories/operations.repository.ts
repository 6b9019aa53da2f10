import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

export interface QueueState {
  readonly kind: 'previews' | 'callbacks';
  /** Jobs not finished yet (pending, or leased by a worker). */
  readonly depth: number;
  /** When the oldest of them was created; null for an empty queue. */
  readonly oldestAt: string | null;
}

/** What an operator watches: whether the database answers, and how the job queues stand. */
export class OperationsRepository {
  /** Throws when the database does not answer. */
  async ping(db: Db): Promise<void> {
    await sql`select 1`.execute(db);
  }

  async queues(db: Db): Promise<QueueState[]> {
    const previews = await db
      .selectFrom('preview_jobs')
      .select((eb) => [eb.fn.countAll<number>().as('depth'), eb.fn.min('created_at').as('oldest')])
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    const callbacks = await db
      .selectFrom('callback_deliveries')
      .select((eb) => [eb.fn.countAll<number>().as('depth'), eb.fn.min('created_at').as('oldest')])
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    return [
      { kind: 'previews', depth: Number(previews.depth), oldestAt: (previews.oldest as string | null) ?? null },
      { kind: 'callbacks', depth: Number(callbacks.depth), oldestAt: (callbacks.oldest as string | null) ?? null },
    ];
  }

  /** Delivery attempts that did not deliver (no answer, or not a 2xx), and deliveries given up, since the beginning. */
  async callbackFailures(db: Db): Promise<{ failedAttempts: number; failedDeliveries: number }> {
    const attempts = await db
      .selectFrom('callback_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or([eb('status_code', 'is', null), eb('status_code', '<', 200), eb('status_code', '>=', 300)]))
      .executeTakeFirstOrThrow();
    const deliveries = await db
      .selectFrom('callback_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'failed')
      .executeTakeFirstOrThrow();
    return { failedAttempts: Number(attempts.n), failedDeliveries: Number(deliveries.n) };
  }
}
