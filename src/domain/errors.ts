/**
 * Domain errors. Services throw these; `http/error-mapping.ts` is the one place
 * that turns them into a status code and the response envelope.
 */
import { labelled } from './field-labels.js';
export interface FieldIssue {
  /** The request field, as the client named it (`od_iop`, `images[1]`, `id`). */
  readonly field: string;
  /** Machine-readable rule: `required`, `type`, `range`, `max_length`, `format`, … */
  readonly rule: string;
  readonly message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/**
 * Input breaks one or more field rules; nothing was stored. Each issue's
 * message becomes a sentence a person can read beside the field (it starts
 * with the field's label); the summary names the wire fields for the
 * integrator reading `content`.
 */
export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  readonly issues: readonly FieldIssue[];
  constructor(issues: readonly FieldIssue[]) {
    const readable = issues.map((i) => ({ ...i, message: labelled(i.field, i.message) }));
    super(
      readable.length === 1
        ? `Invalid field ${readable[0]!.field}: ${readable[0]!.message}`
        : `Invalid fields: ${readable.map((i) => `${i.field} (${i.message})`).join('; ')}`,
    );
    this.issues = readable;
  }
}

/** The request as a whole cannot be understood (bad JSON, broken multipart, …). */
export class MalformedRequestError extends DomainError {
  readonly code = 'malformed_request';
}

/** Not found, or not visible to the caller: both look the same on purpose. */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  constructor(readonly what: string) {
    super(`${what} not found`);
  }
}

/** Missing or invalid bearer token (RFC 6750 §3). */
export class AuthenticationError extends DomainError {
  readonly code: 'missing_token' | 'invalid_token' | 'invalid_credentials';
  constructor(reason: 'missing' | 'invalid' | 'credentials', message: string) {
    super(message);
    this.code = reason === 'missing' ? 'missing_token' : reason === 'invalid' ? 'invalid_token' : 'invalid_credentials';
  }
}

/** The state of a resource does not allow the operation; `fields` name the request fields that clash with it (an e-mail already taken). */
export class ConflictError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    readonly fields?: readonly FieldIssue[],
  ) {
    super(message);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload_too_large';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'unsupported_media_type';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Well-formed but unusable content: a corrupt image, a reused idempotency key. */
export class UnprocessableError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * OAuth 2.0 token endpoint errors keep their RFC 6749 §5.2 codes, because
 * OAuth client libraries (the OPTretina SDK uses league/oauth2-client) read them.
 */
export class OAuthError extends DomainError {
  constructor(
    readonly code: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_grant',
    message: string,
  ) {
    super(message);
  }
}

/** The caller is who they say, but their role may not do this (or the request is not from our own pages: CSRF). */
export class ForbiddenError extends DomainError {
  constructor(
    message: string,
    readonly code: string = 'forbidden',
  ) {
    super(message);
  }
}
