import { decideAfterAttempt } from '../domain/callback-retry.js';
import { signWebhook } from '../domain/webhook-signature.js';
import { couldNotSend, type SendResult } from '../outbound/callback-sender.js';
import { CallbackSenderThread } from '../outbound/callback-sender-thread.js';
import type { AttemptOf, AttemptRecording, ClaimedDelivery, NewCallbackAttempt } from '../storage/repositories/callback.repository.js';
import type { CallbackService } from './callback.service.js';
import type { ServiceContext } from './context.js';
import { GroupCommit } from './group-commit.js';

/** What the worker logs per attempt: ids and outcome, never the payload or the URL's query. */
export interface AttemptReport {
  readonly deliveryId: number;
  readonly caseId: number;
  readonly event: string;
  readonly statusCode: number | null;
  readonly durationMs: number;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly error: string | null;
  /** `lease_lost`: another worker had taken the delivery over meanwhile; `delivery_gone`: its case was erased meanwhile, nothing recorded. */
  readonly recording: AttemptRecording;
}

/** Attempts recorded per transaction at most, and waiting to be recorded at most. */
const MAX_RECORD_BATCH = 64;

/**
 * Deliveries leased at once, in pools' worth (`concurrency` each). A lease
 * is a write with its own commit, then a read of its cases' owners: one for
 * every 32 attempts instead of every 8 made a worker about a fifth faster
 * (`npm run bench:callbacks`, 3,250–3,480 → 4,100–4,170 deliveries/s).
 */
const LEASED_POOLS = 4;

/**
 * Attempts handed to the sender's thread at once at most, in pools' worth
 * (a lease's worth): it runs one pool (`concurrency`) and begins the next
 * attempt handed over as soon as one ends, without a round trip through
 * this thread, which may be busy with a lease or a commit meanwhile.
 * Handing over one pool only, each attempt waited 1.2–1.4 ms here for
 * 0.5–0.6 ms of POST in the thread; two pools made 5,818–5,868
 * deliveries/s, four 6,606–6,805 (`npm run bench:callbacks`).
 */
const HANDED_OVER_POOLS = LEASED_POOLS;

/** Time limits a lease lasts at least: see `claim`. */
const LEASE_TIME_LIMITS = HANDED_OVER_POOLS + LEASED_POOLS + 1;

/** An attempt made, its record not yet written. */
interface SentAttempt {
  readonly delivery: ClaimedDelivery;
  readonly result: SendResult;
  readonly attempt: NewCallbackAttempt;
}

interface AttemptToRecord {
  readonly delivery: AttemptOf;
  readonly attempt: NewCallbackAttempt;
}

/**
 * Callback delivery: lease the due callbacks, send each signed, record the
 * attempt and what comes next. A crash between sending and recording
 * leaves the lease to expire, so the callback is sent again: delivery is at
 * least once, and the stable `webhook-id` lets receivers drop duplicates.
 * An attempt is recorded only once its answer came, so nothing undelivered
 * is ever marked delivered; attempts finishing together share one
 * transaction (`GroupCommit`), and a record that fails leaves the lease to
 * expire, so the callback is sent again.
 */
export class CallbackDelivery {
  private readonly sender: CallbackSenderThread;
  private readonly records: GroupCommit<AttemptToRecord, AttemptRecording>;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly callbacks: CallbackService,
    private readonly random: () => number = Math.random,
  ) {
    const settings = ctx.config.callbacks;
    this.sender = new CallbackSenderThread({ allow: settings.allow, concurrency: settings.concurrency });
    const repo = ctx.repos.callbacks;
    this.records = new GroupCommit(ctx.db, {
      maxBatch: MAX_RECORD_BATCH,
      // Alone: its own transaction (recordAttempt opens one); in a batch, the batch's.
      write: (db, item) => repo.recordAttempt(db, item.delivery, item.attempt),
      writeBatch: (trx, items) => repo.recordAttemptsIn(trx, items),
    });
  }

  /**
   * Delivers what is due until nothing more is, as a pool: up to
   * `concurrency` attempts in flight in the sender's thread, which begins the
   * next one handed over (`HANDED_OVER_POOLS` pools' worth at most) as soon as
   * one ends, from deliveries leased a batch (`LEASED_POOLS` pools' worth)
   * ahead: the next batch is leased while the previous one is being sent, so
   * no attempt waits for the slowest of its batch. An attempt's record is
   * written meanwhile, with the records of the attempts that finished beside
   * it: a slot does not wait for a commit, and at most `MAX_RECORD_BATCH`
   * records wait to be written before sending pauses. Leases keep several
   * workers apart.
   * `stopping` ends the leasing; what was leased is still sent and recorded.
   * Resolves, with the attempts made, once every one is recorded.
   */
  async deliverDue(onAttempt: (report: AttemptReport) => void = () => {}, stopping: () => boolean = () => false): Promise<number> {
    const { concurrency } = this.ctx.config.callbacks;
    const leased: ClaimedDelivery[] = [];
    const sending = new Set<Promise<void>>();
    const recording = new Set<Promise<void>>();
    let leasing: Promise<void> | null = null;
    let drained = false;
    const failures: unknown[] = [];
    let attempts = 0;
    const batch = concurrency * LEASED_POOLS;
    const leaseMore = async (): Promise<void> => {
      try {
        const claimed = await this.claim(batch);
        if (claimed.length < batch) drained = true;
        leased.push(...claimed);
      } catch (error) {
        failures.push(error);
        drained = true;
      } finally {
        leasing = null;
      }
    };
    // Not recorded: the lease expires and the callback is sent again.
    const fail = (error: unknown) => {
      failures.push(error);
    };
    const record = (sent: SentAttempt): void => {
      const written: Promise<void> = this.record(sent)
        .then(onAttempt)
        .catch(fail)
        .finally(() => recording.delete(written));
      recording.add(written);
    };
    for (;;) {
      if (leased.length === 0 && leasing === null && !drained && !stopping()) leasing = leaseMore();
      while (sending.size < concurrency * HANDED_OVER_POOLS && leased.length > 0 && recording.size < MAX_RECORD_BATCH) {
        attempts++;
        const sent: Promise<void> = this.send(leased.shift()!)
          .then(record, fail)
          .finally(() => sending.delete(sent));
        sending.add(sent);
      }
      const pending = [...sending, ...recording, ...(leasing === null ? [] : [leasing])];
      if (pending.length === 0) break;
      await Promise.race(pending);
    }
    if (failures.length > 0) throw failures[0];
    return attempts;
  }

  /** Resolves once every attempt's record has been written; ends the sender's thread and its kept connections. */
  async close(): Promise<void> {
    await this.records.idle();
    await this.sender.close();
  }

  /**
   * Leases up to `limit` due deliveries. The lease covers the wait for a
   * slot, the attempt itself and a margin for recording. The sender begins
   * what it was handed in order, `concurrency` at once, each within one time
   * limit; when a batch is leased it holds at most `HANDED_OVER_POOLS` pools'
   * worth from the batch before, so the batch's last attempt has at most
   * `HANDED_OVER_POOLS + LEASED_POOLS - 1` pools ahead of it:
   * `HANDED_OVER_POOLS + LEASED_POOLS + 1` time limits at least (nine),
   * whatever OPENRETINA_CALLBACK_LEASE_SECONDS says.
   */
  private claim(limit: number): Promise<ClaimedDelivery[]> {
    const settings = this.ctx.config.callbacks;
    const now = this.ctx.now();
    const leaseUntil = new Date(now.getTime() + Math.max(settings.leaseSeconds * 1000, settings.timeoutMs * LEASE_TIME_LIMITS)).toISOString();
    return this.ctx.repos.callbacks.claimDue(this.ctx.db, { now: now.toISOString(), leaseUntil, limit });
  }

  /**
   * Signs one delivery and hands it to the sender's thread; what came back
   * and what comes next, not yet recorded. The signature's timestamp and the
   * attempt's start are the hand-over's: the thread may hold it behind up to
   * three pools' worth of attempts (milliseconds as a rule, three time limits
   * at worst: 30 s by default, against the five minutes receivers are told
   * to tolerate), and its duration is the POST's.
   */
  private async send(delivery: ClaimedDelivery): Promise<SentAttempt> {
    const settings = this.ctx.config.callbacks;
    const startedAt = this.ctx.now();
    let result: SendResult;
    try {
      const secrets = await this.callbacks.secretsForSigning({ organisationId: delivery.organisationId, apiClientId: delivery.apiClientId });
      const headers = signWebhook({ id: delivery.webhookId, timestamp: startedAt, body: delivery.payload, secrets });
      result = await this.sender.send(delivery.url, delivery.payload, { ...headers }, settings.timeoutMs);
    } catch (error) {
      result = couldNotSend(error);
    }
    const finishedAt = this.ctx.now();
    const outcome = decideAfterAttempt({
      result,
      attempts: delivery.attempts + 1,
      scheduleSeconds: settings.retryScheduleSeconds,
      now: finishedAt,
      random: this.random(),
    });
    const error = outcome.state === 'failed' ? `${result.error ?? ''}${result.error ? '; ' : ''}gave up: ${outcome.reason}` : result.error;
    return {
      delivery,
      result,
      attempt: {
        startedAt: startedAt.toISOString(),
        durationMs: result.durationMs,
        statusCode: result.statusCode,
        error,
        state: outcome.state,
        nextAttemptAt: outcome.state === 'pending' ? outcome.retryAt.toISOString() : null,
        finishedAt: outcome.state === 'pending' ? null : finishedAt.toISOString(),
      },
    };
  }

  /** Writes an attempt's record, with those that finished beside it; what the worker logs of it. */
  private async record({ delivery, result, attempt }: SentAttempt): Promise<AttemptReport> {
    const recording = await this.records.submit({ delivery: { id: delivery.id, leaseToken: delivery.leaseToken }, attempt });
    return {
      deliveryId: delivery.id,
      caseId: delivery.caseId,
      event: delivery.event,
      statusCode: result.statusCode,
      durationMs: result.durationMs,
      state: attempt.state,
      error: attempt.error,
      recording,
    };
  }
}
