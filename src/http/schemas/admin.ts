import { Type } from 'typebox';
import { ADDRESS_MAX_LENGTH, REPORT_LANGUAGES } from '../../domain/center.js';
import { MAX_ID } from '../../domain/ids.js';
import { USER_ROLES } from '../../domain/principal.js';
import { centerReportProperties, closed, nullable, oneOf } from './common.js';

/**
 * The administration resources as `openretina` prints them and the admin API
 * (/admin/…) answers: closed and snake_case, like every resource of the API.
 */

const address = Type.String({ description: 'Printed under its name on its reports; lines separated by \\n (at most 4 lines)' });

const createdAt = Type.String({ format: 'date-time' });

export const OrganisationSchema = closed({ id: Type.Integer(), name: Type.String(), created_at: createdAt });

/** A center as an administrator sees it: which organisation it belongs to. */
export const AdminCenterSchema = closed({
  id: Type.Integer(),
  organisation_id: Type.Integer(),
  name: Type.String(),
  ...centerReportProperties,
  address: nullable(address),
  created_at: createdAt,
});

const clientId = Type.String({ description: 'Public identifier (orc_…), sent to POST /authorize' });
const clientSecret = Type.String({ description: 'ors_…; shown this once: only its hash is stored' });
const centerIds = Type.Array(Type.Integer(), { description: 'The centers it works for' });

/** An API client, never its secret. */
export const ApiClientSchema = closed({
  id: Type.Integer(),
  client_id: clientId,
  name: Type.String(),
  organisation_id: Type.Integer(),
  center_ids: centerIds,
  created_at: createdAt,
  secret_rotated_at: Type.String({ format: 'date-time' }),
  disabled: Type.Boolean(),
});

/** A client just created, with its secret shown once. */
export const NewApiClientSchema = closed({
  id: Type.Integer(),
  client_id: clientId,
  client_secret: clientSecret,
  name: Type.String(),
  center_ids: centerIds,
});

/** A client's new secret; the old one and its tokens no longer work. */
export const ClientSecretSchema = closed({ client_id: clientId, client_secret: clientSecret });

/** A person who logs in, never their password or its hash. */
export const AdminUserSchema = closed({
  id: Type.Integer(),
  email: Type.String(),
  role: oneOf(USER_ROLES),
  name: Type.String(),
  licence_number: nullable(Type.String(), { description: 'Readers: printed on signed reports' }),
  organisation_id: Type.Integer(),
  center_ids: Type.Array(Type.Integer(), { description: 'Staff: the centers they work for' }),
  created_at: createdAt,
  disabled: Type.Boolean({ description: 'A disabled person cannot log in; their sessions ended when they were disabled' }),
});

/** A person just created; a password generated here is shown this once. */
export const NewUserSchema = closed({
  id: Type.Integer(),
  email: Type.String(),
  role: oneOf(USER_ROLES),
  password: Type.Optional(Type.String({ description: 'Only when generated (no --password given); shown this once' })),
});

/** An organisation just created with its first admin (the admin API): a generated password is shown this once. */
export const NewOrganisationSchema = closed({ organisation: OrganisationSchema, admin: NewUserSchema });

/** A person's new password: present only when generated here, shown this once. */
export const PasswordResetSchema = closed({
  user_id: Type.Integer(),
  password: Type.Optional(Type.String({ description: 'Only when generated (no password given); shown this once' })),
});

// ---- Requests of the admin API. Lengths and formats the services check too (the CLI goes through them), with the same field names.

const name = Type.String({ maxLength: 200, description: '1 to 200 characters' });
const email = Type.String({ maxLength: 254 });
const password = Type.String({ maxLength: 1024, description: 'At least 12 characters' });
const idList = (description: string) => Type.Array(Type.Integer({ minimum: 1, maximum: MAX_ID }), { maxItems: 1000, description });
const pathId = (description: string) => Type.Integer({ minimum: 1, maximum: MAX_ID, description });

export const OrganisationParamsSchema = closed({ organisationId: pathId('Organisation id') });
export const CenterParamsSchema = closed({ centerId: pathId('Center id') });
export const ApiClientParamsSchema = closed({ apiClientId: pathId('API client id (the number, not its client_id)') });
export const UserParamsSchema = closed({ userId: pathId('Person id') });

export const CreateOrganisationBodySchema = closed({
  name,
  admin: closed(
    { email, name: Type.String({ maxLength: 200 }), password: Type.Optional(password) },
    { description: 'Its first admin, who administers it from then on; without a password one is generated and shown once' },
  ),
});

export const RenameOrganisationBodySchema = closed({ name });

const centerFields = {
  language: Type.Optional(oneOf(REPORT_LANGUAGES, { description: 'Language of its reports; en when created without one' })),
  timezone: Type.Optional(nullable(Type.String({ maxLength: 64 }), { description: 'IANA time zone its reports are dated in; null: the instance default' })),
  address: Type.Optional(nullable(Type.String({ maxLength: ADDRESS_MAX_LENGTH * 2 }), { description: 'Printed on its reports, at most 4 lines; null or empty: none' })),
};

export const CreateCenterBodySchema = closed({ name, ...centerFields });
export const UpdateCenterBodySchema = closed({ name: Type.Optional(name), ...centerFields }, { description: 'What to change; a field left out stays as it is' });

export const CreateApiClientBodySchema = closed({
  name,
  center_ids: Type.Array(Type.Integer({ minimum: 1, maximum: MAX_ID }), { minItems: 1, maxItems: 1000, description: 'Centers it may use; the first is its default' }),
});
export const ClientCentersBodySchema = closed({
  center_ids: Type.Array(Type.Integer({ minimum: 1, maximum: MAX_ID }), {
    minItems: 1,
    maxItems: 1000,
    description: 'Every center it may use from now on, the first its default; its tokens active in a center it loses end',
  }),
});

export const CreateUserBodySchema = closed({
  email,
  role: oneOf(USER_ROLES),
  name,
  password: Type.Optional(password),
  licence_number: Type.Optional(Type.String({ maxLength: 100, description: 'Readers: required, printed on signed reports' })),
  center_ids: Type.Optional(idList('Staff: required, the centers they work for')),
});

export const UpdateUserBodySchema = closed(
  {
    name: Type.Optional(name),
    role: Type.Optional(oneOf(USER_ROLES)),
    licence_number: Type.Optional(nullable(Type.String({ maxLength: 100 }))),
    center_ids: Type.Optional(idList('Every center they work for from now on')),
    disabled: Type.Optional(Type.Boolean({ description: 'true: cannot log in, sessions end; false: may log in again' })),
  },
  { description: 'What to change; a field left out stays as it is' },
);

/** No body, {} (a generated password, shown once) or the password to set. */
export const ResetPasswordBodySchema = Type.Unsafe<{ password?: string } | null>({
  type: ['object', 'null'],
  properties: { password },
  additionalProperties: false,
  description: 'Send no body or {} for a generated password (shown once), or {"password": …} to set one',
});
