import { NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { newWebhookSecret } from '../domain/webhook-signature.js';
import type { CallbackDeliveryLog } from '../storage/repositories/callback.repository.js';
import type { ServiceContext } from './context.js';

/** Whose secret signs: an API client's, or an organisation's for cases created by people. */
export interface SecretOwner {
  readonly organisationId: number;
  readonly apiClientId: number | null;
}

/** A delivery as its client sees it: when the next attempt is due only while one is. */
export interface CallbackDelivery extends Omit<CallbackDeliveryLog, 'nextAttemptAt'> {
  readonly nextAttemptAt: string | null;
}

/** A signing secret; after a rotation, until when the previous one also signs. */
export interface SigningSecret {
  readonly secret: string;
  readonly previousValidUntil?: string;
}

/**
 * How long the delivery worker signs with the secrets it read (and
 * unsealed) for an owner before reading them again: a rotation made by
 * another process (the CLI) reaches its callbacks within this; the previous
 * secret keeps signing through the grace period anyway, so receivers
 * notice nothing.
 */
export const SIGNING_SECRET_CACHE_MS = 5_000;
/** Owners whose secrets are kept at most. */
const SIGNING_SECRET_CACHE_SIZE = 1_000;

interface CachedSecrets {
  readonly secrets: readonly string[];
  readonly from: number;
  readonly until: number;
}

/** What a client sees and controls of its callbacks: deliveries, redelivery, the signing secret. */
export class CallbackService {
  /** Unsealed secrets, in memory only (never logged), per owner, for a few seconds. */
  private readonly signing = new Map<string, CachedSecrets>();

  constructor(private readonly ctx: ServiceContext) {}

  async listForCase(principal: Principal, caseId: number): Promise<CallbackDelivery[]> {
    await this.ctx.access.caseFor(principal, caseId);
    const deliveries = await this.ctx.repos.callbacks.listForCase(this.ctx.db, caseId);
    return deliveries.map((d) => ({ ...d, nextAttemptAt: d.state === 'pending' ? d.nextAttemptAt : null }));
  }

  /** Sends a delivery again now, whatever its state; the schedule starts over. */
  async redeliver(principal: Principal, caseId: number, deliveryId: number): Promise<void> {
    await this.ctx.access.caseFor(principal, caseId);
    const found = await this.ctx.repos.callbacks.redeliver(this.ctx.db, { caseId, deliveryId, now: this.ctx.now().toISOString() });
    if (!found) throw new NotFoundError('Callback delivery');
    this.ctx.wakeups.notify('callbacks');
  }

  /** The current signing secret of the owner, made on first use. */
  async currentSecret(owner: SecretOwner): Promise<string> {
    const [current] = await this.signingSecrets(owner);
    return current!;
  }

  /** Every secret that signs now, newest first (more than one for a while after a rotation). */
  async signingSecrets(owner: SecretOwner): Promise<string[]> {
    return (await this.readSecrets(owner)).secrets;
  }

  /**
   * `signingSecrets` as the delivery worker signs with them: kept
   * `SIGNING_SECRET_CACHE_MS`, and never past the retirement of one of them,
   * so every delivery does not read and unseal them again.
   */
  async secretsForSigning(owner: SecretOwner): Promise<readonly string[]> {
    const key = ownerKey(owner);
    const now = this.ctx.now().getTime();
    const cached = this.signing.get(key);
    if (cached && now >= cached.from && now < cached.until) return cached.secrets;
    const { secrets, retiresAt } = await this.readSecrets(owner);
    if (this.signing.size >= SIGNING_SECRET_CACHE_SIZE) this.signing.clear();
    this.signing.set(key, { secrets, from: now, until: Math.min(now + SIGNING_SECRET_CACHE_MS, retiresAt) });
    return secrets;
  }

  private async readSecrets(owner: SecretOwner): Promise<{ secrets: string[]; retiresAt: number }> {
    const now = this.ctx.now().toISOString();
    let rows = await this.ctx.repos.callbacks.signingSecrets(this.ctx.db, owner, now);
    if (rows.length === 0) {
      await this.ctx.repos.callbacks.addSecret(this.ctx.db, owner, { sealed: this.ctx.secrets.seal(newWebhookSecret()), now, retireAt: now });
      rows = await this.ctx.repos.callbacks.signingSecrets(this.ctx.db, owner, now);
    }
    const retiring = rows.flatMap((r) => (r.retireAt === null ? [] : [Date.parse(r.retireAt)]));
    return { secrets: rows.map((r) => this.ctx.secrets.open(r.sealedSecret)), retiresAt: Math.min(Number.POSITIVE_INFINITY, ...retiring) };
  }

  /**
   * A new signing secret. The old one keeps signing alongside it for the
   * grace period (receivers accept any matching signature), so a receiver can
   * switch without losing a callback.
   */
  async rotateSecret(owner: SecretOwner): Promise<Required<SigningSecret>> {
    const now = this.ctx.now();
    const retireAt = new Date(now.getTime() + this.ctx.config.callbacks.rotationGraceHours * 3600_000).toISOString();
    const secret = newWebhookSecret();
    await this.ctx.repos.callbacks.addSecret(this.ctx.db, owner, { sealed: this.ctx.secrets.seal(secret), now: now.toISOString(), retireAt });
    // This process signs with the new secret at once; others within SIGNING_SECRET_CACHE_MS.
    this.signing.delete(ownerKey(owner));
    return { secret, previousValidUntil: retireAt };
  }

  /** The CLI names clients by their public `client_id`. */
  async ownerOfClient(clientId: string): Promise<SecretOwner> {
    const owner = await this.ctx.repos.apiClients.findOwner(this.ctx.db, clientId);
    if (!owner) throw new NotFoundError('API client');
    return { organisationId: owner.organisationId, apiClientId: owner.id };
  }
}

const ownerKey = (owner: SecretOwner): string => `${owner.organisationId}:${owner.apiClientId ?? ''}`;
