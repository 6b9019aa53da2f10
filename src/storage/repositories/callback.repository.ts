import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type CallbackPayloadInput, callbackPayload } from '../../domain/callback.js';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/** The callback outbox: written with the status change, read by the delivery workers. */
export class CallbackRepository {
  /** Records the event for the case's callback URL, if it has one; call inside the status change's transaction. */
  async recordEvent(db: Db, input: CallbackPayloadInput): Promise<void> {
    const target = await db.selectFrom('cases').select('callback_url').where('id', '=', input.caseId).executeTakeFirst();
    if (!target?.callback_url) return;
    await db
      .insertInto('callback_deliveries')
      .values({
        case_id: input.caseId,
        webhook_id: `msg_${randomUUID().replace(/-/g, '')}`,
        event: input.event,
        url: target.callback_url,
        payload: callbackPayload(input),
        state: 'pending',
        next_attempt_at: input.occurredAt,
        locked_until: null,
        created_at: input.occurredAt,
        finished_at: null,
      })
      .execute();
  }
}
