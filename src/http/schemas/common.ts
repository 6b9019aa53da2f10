import { type Static, type TObject, type TProperties, type TSchema, type TUnsafe, Type } from 'typebox';
import { REPORT_LANGUAGES } from '../../domain/center.js';

/**
 * A closed object: the contract lists every property, and anything else is
 * refused in a request or never sent in a response.
 */
export function closed<P extends TProperties>(properties: P, options: Record<string, unknown> = {}): TObject<P> {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

/** One of a domain list's values, as a JSON Schema `enum` (one clear "must be one of" error, unlike a union of constants). */
export function oneOf<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>(Type.String({ ...options, enum: [...values] }));
}

/**
 * The schema, or null. A simple schema gets `null` added to its own `type`
 * (and `enum`), so a refused value is told what it must be, not that it
 * matches no branch of a union.
 */
export function nullable<T extends TSchema>(schema: T, options: Record<string, unknown> = {}): TUnsafe<Static<T> | null> {
  const raw = schema as unknown as Record<string, unknown>;
  if (typeof raw.type === 'string' && raw.type !== 'object' && raw.type !== 'array') {
    const widened: Record<string, unknown> = { ...raw, ...options, type: [raw.type, 'null'] };
    if (Array.isArray(raw.enum)) widened.enum = [...(raw.enum as unknown[]), null];
    return Type.Unsafe<Static<T> | null>(widened);
  }
  return Type.Unsafe<Static<T> | null>(Type.Union([schema, Type.Null()], options));
}

/** A positive integer id as JSON sends it, or as a form sends it (digits only: "01", "1e0" and true are not 1). */
export function idValue(description: string) {
  return Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[1-9][0-9]{0,14}$' })], {
    description,
    // The message a refused value gets (src/http/validation.ts), instead of one per branch of the union.
    'x-error': 'must be an id: a whole number from 1, digits only',
  });
}

export type { Static };

/** What every center object says about its reports: the language they are written in and the time zone they are dated in. */
export const centerReportProperties = {
  language: oneOf(REPORT_LANGUAGES, { description: 'Language of its reports: their wording, dates and numbers' }),
  timezone: Type.String({
    description: 'IANA time zone its reports are dated in: its own, or the instance default (OPENRETINA_DEFAULT_TIMEZONE)',
    examples: ['Europe/Madrid'],
  }),
};

/** A center as the people working for it (staff) or reading its cases (readers) see it. */
export const CenterSummarySchema = closed({ id: Type.Integer(), name: Type.String(), ...centerReportProperties });

export const FieldIssueSchema = closed({
  field: Type.String({ description: 'The request field, as the client named it (od_iop, od.quality, images[1])' }),
  rule: Type.String({ description: 'The rule it broke: required, type, range, max_length, format, enum, unknown_field, …' }),
  message: Type.String({ description: 'A sentence for a person, starting with what the field is called ("Right eye (OD) — image quality is required")' }),
});

export const ErrorEnvelopeSchema = closed(
  {
    success: Type.Literal(false),
    content: Type.String({ description: 'Human-readable message (the OPTretina SDK shows this)' }),
    error: closed({
      code: Type.String({ description: 'Machine-readable error code' }),
      fields: Type.Optional(Type.Array(FieldIssueSchema, { description: 'Every field that broke a rule' })),
    }),
  },
  { $id: 'ErrorEnvelope', description: 'Failure envelope' },
);

export const OAuthErrorSchema = closed(
  {
    success: Type.Literal(false),
    content: Type.String(),
    error: Type.Union([
      Type.Literal('invalid_request'),
      Type.Literal('invalid_client'),
      Type.Literal('unsupported_grant_type'),
      Type.Literal('invalid_grant'),
    ], { description: 'RFC 6749 §5.2 error code' }),
    error_description: Type.String(),
  },
  { $id: 'OAuthError' },
);

/** `{ success: true, content: <payload> }` */
export function successEnvelope<T extends TSchema>(content: T, description?: string) {
  return closed({ success: Type.Literal(true), content }, description ? { description } : {});
}

/** A route without a request body: none may be sent, or an empty JSON object (what a client posting `{}` sends). */
export const NoBodySchema = Type.Unsafe<Record<string, never> | null>({
  type: ['object', 'null'],
  properties: {},
  additionalProperties: false,
  description: 'No fields: send no body, or {}',
});

const errorRef = Type.Ref('ErrorEnvelope');

/** Error responses every authenticated route may give. */
export const COMMON_ERRORS = {
  400: errorRef,
  401: errorRef,
  429: errorRef,
} as const;

export { errorRef };

export const BEARER_SECURITY: { [name: string]: string[] }[] = [{ bearer: [] }, { accessTokenQuery: [] }];

/** People: a bearer session (API use) or the web app's session cookie. */
export const USER_SECURITY: { [name: string]: string[] }[] = [{ bearer: [] }, { sessionCookie: [] }];
