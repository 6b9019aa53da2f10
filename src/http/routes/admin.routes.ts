import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuditAction, AuditObjectKind } from '../../domain/audit.js';
import type { Platform } from '../../platform.js';
import type { AdminScope } from '../../services/admin.service.js';
import { personOf } from '../authentication.js';
import { noteAudit } from '../audit.js';
import {
  presentAdminCenter,
  presentApiClient,
  presentClientSecret,
  presentNewApiClient,
  presentNewOrganisation,
  presentNewUser,
  presentOrganisation,
  presentPasswordReset,
  presentUser,
} from '../presenters.js';
import {
  AdminCenterSchema,
  AdminUserSchema,
  ApiClientParamsSchema,
  ApiClientSchema,
  CenterParamsSchema,
  ClientCentersBodySchema,
  ClientSecretSchema,
  CreateApiClientBodySchema,
  CreateCenterBodySchema,
  CreateOrganisationBodySchema,
  CreateUserBodySchema,
  NewApiClientSchema,
  NewOrganisationSchema,
  NewUserSchema,
  OrganisationParamsSchema,
  OrganisationSchema,
  PasswordResetSchema,
  RenameOrganisationBodySchema,
  ResetPasswordBodySchema,
  UpdateCenterBodySchema,
  UpdateUserBodySchema,
  UserParamsSchema,
} from '../schemas/admin.js';
import { COMMON_ERRORS, NoBodySchema, USER_SECURITY, errorRef, successEnvelope } from '../schemas/common.js';

const ERRORS = { ...COMMON_ERRORS, 403: errorRef };
const ONE_ERRORS = { ...ERRORS, 404: errorRef };

/**
 * Extension, for administrators: the organisation they administer, its
 * centers, API clients and people. An admin sees and changes nothing of
 * another organisation (its ids answer 404). Every request is one entry of
 * the audit trail, naming what it read, made or changed. The logic is the
 * CLI's: both go through AdminService.
 */
export const adminRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { admin } = platform.services;
  const scope = (request: FastifyRequest): AdminScope => admin.scopeOf(personOf(request));
  /** Names the entry's object before the service runs, so a refusal (404, 400) names what was asked for too. */
  const about = (request: FastifyRequest, kind: AuditObjectKind, id: number) => {
    noteAudit(request, { object: { kind, id }, ...(kind === 'center' ? { centerId: id } : {}) });
  };
  /** What every admin route declares: its audience and audit action, and its documentation. */
  const meta = (action: AuditAction, summary: string, description?: string) => ({
    config: { audience: 'admin' as const, audit: { action } },
    doc: { summary, tags: ['admin'], security: USER_SECURITY, ...(description === undefined ? {} : { description }) },
  });

  // ---- Organisations

  {
    const m = meta('organisation.list', 'Your organisation (extension)', 'A list holding the one organisation the admin administers.');
    app.get('/admin/organisations', { schema: { ...m.doc, response: { 200: successEnvelope(Type.Array(OrganisationSchema)), ...ERRORS } }, config: m.config }, async (request) => ({
      success: true as const,
      content: (await admin.listOrganisations(scope(request))).map(presentOrganisation),
    }));
  }
  {
    const m = meta(
      'organisation.create',
      'Create an organisation with its first admin (extension)',
      'A new tenant, apart from yours: you will not see into it. Its first admin (password generated and shown once unless given) administers it. ' +
        'Nothing is created when anything is refused; an e-mail already taken answers 409.',
    );
    app.post(
      '/admin/organisations',
      { schema: { ...m.doc, body: CreateOrganisationBodySchema, response: { 201: successEnvelope(NewOrganisationSchema), ...ERRORS, 409: errorRef } }, config: m.config },
      async (request, reply) => {
        scope(request);
        const { name, admin: first } = request.body;
        const created = await admin.createOrganisationWithAdmin({ name, admin: first });
        noteAudit(request, { object: { kind: 'organisation', id: created.organisation.id } });
        reply.code(201).header('cache-control', 'no-store');
        return { success: true as const, content: presentNewOrganisation(created) };
      },
    );
  }
  {
    const m = meta('organisation.rename', 'Rename your organisation (extension)');
    app.patch(
      '/admin/organisations/:organisationId',
      { schema: { ...m.doc, params: OrganisationParamsSchema, body: RenameOrganisationBodySchema, response: { 200: successEnvelope(OrganisationSchema), ...ONE_ERRORS } }, config: m.config },
      async (request) => {
        const id = request.params.organisationId;
        about(request, 'organisation', id);
        return { success: true as const, content: presentOrganisation(await admin.renameOrganisation(scope(request), id, request.body.name)) };
      },
    );
  }

  // ---- Centers

  {
    const m = meta('center.list', 'The centers of your organisation (extension)');
    app.get('/admin/centers', { schema: { ...m.doc, response: { 200: successEnvelope(Type.Array(AdminCenterSchema)), ...ERRORS } }, config: m.config }, async (request) => ({
      success: true as const,
      content: (await admin.listCenters(scope(request))).map(presentAdminCenter),
    }));
  }
  {
    const m = meta('center.create', 'Create a center (extension)', 'Its language (en by default), time zone (null: the instance default) and the address printed on its reports.');
    app.post(
      '/admin/centers',
      { schema: { ...m.doc, body: CreateCenterBodySchema, response: { 201: successEnvelope(AdminCenterSchema), ...ERRORS } }, config: m.config },
      async (request, reply) => {
        const center = await admin.createCenter(request.body, scope(request));
        about(request, 'center', center.id);
        reply.code(201);
        return { success: true as const, content: presentAdminCenter(center) };
      },
    );
  }
  {
    const m = meta('center.update', 'Change a center (extension)', 'Name, language, time zone (null: the instance default), address (null or empty: none). Reports rendered from then on show the change.');
    app.patch(
      '/admin/centers/:centerId',
      { schema: { ...m.doc, params: CenterParamsSchema, body: UpdateCenterBodySchema, response: { 200: successEnvelope(AdminCenterSchema), ...ONE_ERRORS } }, config: m.config },
      async (request) => {
        const id = request.params.centerId;
        about(request, 'center', id);
        return { success: true as const, content: presentAdminCenter(await admin.updateCenter(scope(request), id, request.body)) };
      },
    );
  }

  // ---- API clients

  {
    const m = meta('api_client.list', 'The API clients of your organisation (extension)', 'Never their secrets.');
    app.get('/admin/api-clients', { schema: { ...m.doc, response: { 200: successEnvelope(Type.Array(ApiClientSchema)), ...ERRORS } }, config: m.config }, async (request) => ({
      success: true as const,
      content: (await admin.listApiClients(scope(request))).map(presentApiClient),
    }));
  }
  {
    const m = meta('api_client.create', 'Create an API client (extension)', 'Its client_secret is in this answer only: only its hash is stored.');
    app.post(
      '/admin/api-clients',
      { schema: { ...m.doc, body: CreateApiClientBodySchema, response: { 201: successEnvelope(NewApiClientSchema), ...ERRORS } }, config: m.config },
      async (request, reply) => {
        const created = await admin.createApiClient({ name: request.body.name, centerIds: request.body.center_ids }, scope(request));
        about(request, 'api_client', created.id);
        reply.code(201).header('cache-control', 'no-store');
        return { success: true as const, content: presentNewApiClient(created) };
      },
    );
  }
  {
    const m = meta('api_client.secret.rotate', 'Rotate an API client’s secret (extension)', 'The new secret is in this answer only; the old one and every token issued with it stop working at once.');
    app.post(
      '/admin/api-clients/:apiClientId/rotate-secret',
      { schema: { ...m.doc, params: ApiClientParamsSchema, body: NoBodySchema, response: { 200: successEnvelope(ClientSecretSchema), ...ONE_ERRORS, 409: errorRef } }, config: m.config },
      async (request, reply) => {
        const id = request.params.apiClientId;
        about(request, 'api_client', id);
        const rotated = await admin.rotateClientSecret(id, scope(request));
        reply.header('cache-control', 'no-store');
        return { success: true as const, content: presentClientSecret(rotated) };
      },
    );
  }
  {
    const m = meta('api_client.revoke', 'Revoke an API client (extension)', 'For good: it can no longer get tokens and its tokens stop working at once. Its cases stay.');
    app.post(
      '/admin/api-clients/:apiClientId/revoke',
      { schema: { ...m.doc, params: ApiClientParamsSchema, body: NoBodySchema, response: { 200: successEnvelope(ApiClientSchema), ...ONE_ERRORS } }, config: m.config },
      async (request) => {
        const id = request.params.apiClientId;
        about(request, 'api_client', id);
        return { success: true as const, content: presentApiClient(await admin.revokeApiClient(id, scope(request))) };
      },
    );
  }
  {
    const m = meta('api_client.centers.set', 'Set the centers an API client may use (extension)');
    app.put(
      '/admin/api-clients/:apiClientId/centers',
      { schema: { ...m.doc, params: ApiClientParamsSchema, body: ClientCentersBodySchema, response: { 200: successEnvelope(ApiClientSchema), ...ONE_ERRORS } }, config: m.config },
      async (request) => {
        const id = request.params.apiClientId;
        about(request, 'api_client', id);
        return { success: true as const, content: presentApiClient(await admin.setClientCenters(id, request.body.center_ids, scope(request))) };
      },
    );
  }

  // ---- People

  {
    const m = meta('user.list', 'The people of your organisation (extension)', 'Never their passwords or hashes.');
    app.get('/admin/users', { schema: { ...m.doc, response: { 200: successEnvelope(Type.Array(AdminUserSchema)), ...ERRORS } }, config: m.config }, async (request) => ({
      success: true as const,
      content: (await admin.listUsers(scope(request))).map(presentUser),
    }));
  }
  {
    const m = meta(
      'user.create',
      'Create a person (extension)',
      'A reader needs licence_number, staff need center_ids. Without a password one is generated and shown in this answer only. An e-mail already taken answers 409.',
    );
    app.post(
      '/admin/users',
      { schema: { ...m.doc, body: CreateUserBodySchema, response: { 201: successEnvelope(NewUserSchema), ...ERRORS, 409: errorRef } }, config: m.config },
      async (request, reply) => {
        const b = request.body;
        const created = await admin.createUser(
          { email: b.email, role: b.role, name: b.name, password: b.password, licenceNumber: b.licence_number, centerIds: b.center_ids },
          scope(request),
        );
        about(request, 'user', created.id);
        reply.code(201).header('cache-control', 'no-store');
        return { success: true as const, content: presentNewUser(created) };
      },
    );
  }
  {
    const m = meta(
      'user.update',
      'Change a person (extension)',
      'Name, role, licence number, centers, or disabled: a disabled person cannot log in and their sessions end at once. You cannot disable or demote yourself.',
    );
    app.patch(
      '/admin/users/:userId',
      { schema: { ...m.doc, params: UserParamsSchema, body: UpdateUserBodySchema, response: { 200: successEnvelope(AdminUserSchema), ...ONE_ERRORS } }, config: m.config },
      async (request) => {
        const id = request.params.userId;
        about(request, 'user', id);
        const b = request.body;
        const person = personOf(request);
        const updated = await admin.updateUser(
          scope(request),
          id,
          { name: b.name, role: b.role, licenceNumber: b.licence_number, centerIds: b.center_ids, disabled: b.disabled },
          person.userId,
        );
        return { success: true as const, content: presentUser(updated) };
      },
    );
  }
  {
    const m = meta('user.password.reset', 'Reset a person’s password (extension)', 'Sets the password given, or generates one shown in this answer only; their sessions end.');
    app.post(
      '/admin/users/:userId/password',
      { schema: { ...m.doc, params: UserParamsSchema, body: ResetPasswordBodySchema, response: { 200: successEnvelope(PasswordResetSchema), ...ONE_ERRORS } }, config: m.config },
      async (request, reply) => {
        const id = request.params.userId;
        about(request, 'user', id);
        const reset = await admin.resetPassword(scope(request), id, request.body?.password);
        reply.header('cache-control', 'no-store');
        return { success: true as const, content: presentPasswordReset(reset) };
      },
    );
  }
};
