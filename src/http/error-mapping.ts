import {
  AuthenticationError,
  ConflictError,
  DomainError,
  ForbiddenError,
  MalformedRequestError,
  NotFoundError,
  OAuthError,
  PayloadTooLargeError,
  RateLimitedError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  ValidationError,
  type FieldIssue,
} from '../domain/errors.js';

export interface ErrorResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: ErrorEnvelope | OAuthErrorBody;
}

/** The failure envelope of the OPTretina SDK plus a machine-readable `error` (extension). */
export interface ErrorEnvelope {
  readonly success: false;
  readonly content: string;
  readonly error: { readonly code: string; readonly fields?: readonly FieldIssue[] };
}

/** RFC 6749 §5.2 error body, wrapped in the envelope's `success`/`content` too. */
export interface OAuthErrorBody {
  readonly success: false;
  readonly content: string;
  readonly error: string;
  readonly error_description: string;
}

const envelope = (code: string, message: string, fields?: readonly FieldIssue[]): ErrorEnvelope => ({
  success: false,
  content: message,
  error: fields ? { code, fields } : { code },
});

const BEARER_REALM = 'Bearer realm="openretina"';

/** The one table from domain errors to HTTP status, headers and body. */
export function mapDomainError(error: DomainError, options: { basicAuthUsed?: boolean } = {}): ErrorResponse {
  if (error instanceof ValidationError) return { status: 400, headers: {}, body: envelope(error.code, error.message, error.issues) };
  if (error instanceof MalformedRequestError) return { status: 400, headers: {}, body: envelope(error.code, error.message) };
  if (error instanceof NotFoundError) return { status: 404, headers: {}, body: envelope(error.code, error.message) };
  if (error instanceof AuthenticationError) {
    // RFC 6750 §3: no error attribute when the request carried no token at all.
    const challenge = error.code === 'invalid_token' ? `${BEARER_REALM}, error="invalid_token"` : BEARER_REALM;
    return { status: 401, headers: { 'www-authenticate': challenge }, body: envelope(error.code, error.message) };
  }
  if (error instanceof OAuthError) {
    const status = error.code === 'invalid_client' ? 401 : 400;
    const headers: Record<string, string> =
      error.code === 'invalid_client' && options.basicAuthUsed ? { 'www-authenticate': 'Basic realm="openretina"' } : {};
    return {
      status,
      headers: { ...headers, 'cache-control': 'no-store', pragma: 'no-cache' },
      body: { success: false, content: error.message, error: error.code, error_description: error.message },
    };
  }
  if (error instanceof ForbiddenError) return { status: 403, headers: {}, body: envelope(error.code, error.message) };
  if (error instanceof ConflictError) return { status: 409, headers: {}, body: envelope(error.code, error.message, error.fields) };
  if (error instanceof PayloadTooLargeError) {
    return { status: 413, headers: {}, body: envelope(error.code, error.message, fieldIssue(error.field, 'max_size', error.message)) };
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return { status: 415, headers: {}, body: envelope(error.code, error.message, fieldIssue(error.field, 'media_type', error.message)) };
  }
  if (error instanceof UnprocessableError) {
    return { status: 422, headers: {}, body: envelope(error.code, error.message, fieldIssue(error.field, error.code, error.message)) };
  }
  if (error instanceof RateLimitedError) {
    return { status: 429, headers: { 'retry-after': String(error.retryAfterSeconds) }, body: envelope(error.code, error.message) };
  }
  return { status: 500, headers: {}, body: envelope('internal_error', 'Internal server error') };
}

function fieldIssue(field: string | undefined, rule: string, message: string): FieldIssue[] | undefined {
  return field === undefined ? undefined : [{ field, rule, message }];
}

export function errorEnvelope(code: string, message: string, fields?: readonly FieldIssue[]): ErrorEnvelope {
  return envelope(code, message, fields);
}
