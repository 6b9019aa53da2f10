import { decideAfterAttempt } from '../domain/callback-retry.js';
import { signWebhook } from '../domain/webhook-signature.js';
import { postCallback, type SendResult } from '../outbound/callback-sender.js';
import type { AttemptRecording, ClaimedDelivery } from '../storage/repositories/callback.repository.js';
import type { CallbackService } from './callback.service.js';
import type { ServiceContext } from './context.js';

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

/**
 * One round of delivery: lease the due callbacks, send each signed, record
 * the attempt and what comes next. A crash between sending and recording
 * leaves the lease to expire, so the callback is sent again: delivery is at
 * least once, and the stable `webhook-id` lets receivers drop duplicates.
 */
export class CallbackDelivery {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly callbacks: CallbackService,
    private readonly random: () => number = Math.random,
  ) {}

  /** Delivers what is due now; returns the attempts made. */
  async deliverDue(onAttempt: (report: AttemptReport) => void = () => {}): Promise<number> {
    const settings = this.ctx.config.callbacks;
    const now = this.ctx.now();
    // The lease covers every send of the batch, plus a margin for recording.
    const leaseUntil = new Date(now.getTime() + Math.max(settings.leaseSeconds * 1000, settings.timeoutMs * 2)).toISOString();
    const claimed = await this.ctx.repos.callbacks.claimDue(this.ctx.db, {
      now: now.toISOString(),
      leaseUntil,
      limit: settings.concurrency,
    });
    await Promise.all(claimed.map(async (delivery) => onAttempt(await this.attempt(delivery))));
    return claimed.length;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<AttemptReport> {
    const settings = this.ctx.config.callbacks;
    const startedAt = this.ctx.now();
    let result: SendResult;
    try {
      const secrets = await this.callbacks.signingSecrets({ organisationId: delivery.organisationId, apiClientId: delivery.apiClientId });
      const headers = signWebhook({ id: delivery.webhookId, timestamp: startedAt, body: delivery.payload, secrets });
      result = await postCallback(new URL(delivery.url), delivery.payload, { ...headers }, { timeoutMs: settings.timeoutMs, allow: settings.allow });
    } catch (error) {
      result = { statusCode: null, retryAfter: null, error: `could not send: ${error instanceof Error ? error.message : String(error)}`, durationMs: 0 };
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
    const recording = await this.ctx.repos.callbacks.recordAttempt(
      this.ctx.db,
      { id: delivery.id, leaseToken: delivery.leaseToken },
      {
        startedAt: startedAt.toISOString(),
        durationMs: result.durationMs,
        statusCode: result.statusCode,
        error,
        state: outcome.state,
        nextAttemptAt: outcome.state === 'pending' ? outcome.retryAt.toISOString() : null,
        finishedAt: outcome.state === 'pending' ? null : finishedAt.toISOString(),
      },
    );
    return {
      deliveryId: delivery.id,
      caseId: delivery.caseId,
      event: delivery.event,
      statusCode: result.statusCode,
      durationMs: result.durationMs,
      state: outcome.state,
      error,
      recording,
    };
  }
}
