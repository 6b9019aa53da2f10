/**
 * The server's API as the web app uses it: same origin, the session in an
 * httpOnly cookie, and the session's CSRF token on every unsafe request.
 * Failures arrive in the envelope `{success:false, content, error:{code, fields}}`.
 */
import type { FieldIssue } from './api-types.js';

export type { FieldIssue };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Set at login and on every page load from GET /me; sent as X-CSRF-Token. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

interface Envelope<T> {
  readonly success: boolean;
  readonly content: T;
  readonly next_cursor?: string | null;
  readonly next_after?: number | null;
  readonly error?: { readonly code: string; readonly fields?: readonly FieldIssue[] };
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** One request; resolves to the whole success envelope, throws ApiError otherwise. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Envelope<T>> {
  // The reader's own time zone, for the times the server writes into messages ("claimed until 14:30 CET").
  const headers: Record<string, string> = { accept: 'application/json', 'x-time-zone': TIME_ZONE, ...options.headers };
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'The server cannot be reached. Check the connection and try again.');
  }
  const envelope = (await response.json().catch(() => null)) as Envelope<T> | null;
  if (!response.ok || envelope === null || envelope.success !== true) {
    const message = envelope && typeof envelope.content === 'string' ? envelope.content : `The server answered ${response.status}`;
    throw new ApiError(response.status, envelope?.error?.code ?? 'http_error', message, envelope?.error?.fields ?? []);
  }
  return envelope;
}

export const api = {
  get: async <T>(path: string, signal?: AbortSignal): Promise<T> => (await request<T>('GET', path, { signal })).content,
  post: async <T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> => (await request<T>('POST', path, { body, headers })).content,
  patch: async <T>(path: string, body: unknown): Promise<T> => (await request<T>('PATCH', path, { body })).content,
  put: async <T>(path: string, body: unknown): Promise<T> => (await request<T>('PUT', path, { body })).content,
};

/** Error messages of a failed request, by field (`od.dr`, `images[0]`, `center_id`, …); a field's several messages together. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const byField: Record<string, string> = {};
  for (const f of error.fields) byField[f.field] = byField[f.field] === undefined ? f.message : `${byField[f.field]} ${f.message}`;
  return byField;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
