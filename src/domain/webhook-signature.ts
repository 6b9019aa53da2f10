import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com, spec v1): the signed
 * content is `<webhook-id>.<webhook-timestamp>.<body>`, signed with
 * HMAC-SHA256 under the base64 secret that follows `whsec_`; several
 * signatures (during a secret rotation) are space-separated `v1,<base64>`.
 */
export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes, as receivers' libraries expect it. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

export interface WebhookHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

export function signWebhook(input: {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: string;
  readonly secrets: readonly string[];
}): WebhookHeaders {
  if (input.secrets.length === 0) throw new Error('a webhook needs at least one signing secret');
  const seconds = String(Math.floor(input.timestamp.getTime() / 1000));
  const content = `${input.id}.${seconds}.${input.body}`;
  const signatures = input.secrets.map((secret) => {
    const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
    return `v1,${createHmac('sha256', key).update(content, 'utf8').digest('base64')}`;
  });
  return { 'webhook-id': input.id, 'webhook-timestamp': seconds, 'webhook-signature': signatures.join(' ') };
}
