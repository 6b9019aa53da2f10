import { type TSchema, Type } from 'typebox';

export const FieldIssueSchema = Type.Object({
  field: Type.String({ description: 'The request field, as the client named it' }),
  rule: Type.String({ description: 'The rule it broke: required, type, range, max_length, format, enum, …' }),
  message: Type.String(),
});

export const ErrorEnvelopeSchema = Type.Object(
  {
    success: Type.Literal(false),
    content: Type.String({ description: 'Human-readable message (the OPTretina SDK shows this)' }),
    error: Type.Object({
      code: Type.String({ description: 'Machine-readable error code' }),
      fields: Type.Optional(Type.Array(FieldIssueSchema, { description: 'Every field that broke a rule' })),
    }),
  },
  { $id: 'ErrorEnvelope', description: 'Failure envelope' },
);

export const OAuthErrorSchema = Type.Object(
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
  return Type.Object({ success: Type.Literal(true), content }, description ? { description } : {});
}

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
