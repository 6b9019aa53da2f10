import { Type } from 'typebox';
import { USER_ROLES } from '../../domain/principal.js';
import { centerReportProperties, closed, nullable, oneOf } from './common.js';

/**
 * The administration resources as `openretina` prints them (and an admin API
 * would answer): closed and snake_case, like every resource of the API.
 */

const createdAt = Type.String({ format: 'date-time' });

export const OrganisationSchema = closed({ id: Type.Integer(), name: Type.String(), created_at: createdAt });

/** A center as an administrator sees it: which organisation it belongs to. */
export const AdminCenterSchema = closed({
  id: Type.Integer(),
  organisation_id: Type.Integer(),
  name: Type.String(),
  ...centerReportProperties,
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
});

/** A person just created; a password generated here is shown this once. */
export const NewUserSchema = closed({
  id: Type.Integer(),
  email: Type.String(),
  role: oneOf(USER_ROLES),
  password: Type.Optional(Type.String({ description: 'Only when generated (no --password given); shown this once' })),
});
