import type { components, paths } from './api-schema.js';

/**
 * The shapes of the API's answers as the web app uses them, named once and
 * taken from the types generated from openapi.json (api-schema.d.ts): when
 * a route's schema changes, the app fails to compile where it no longer fits.
 */
type JsonBody<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Method = 'get' | 'post' | 'patch' | 'put';
type Ok<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: { 200: infer R } } ? JsonBody<R> : never;
type Made<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: { 201: infer R } } ? JsonBody<R> : never;
/** The `content` of a route's successful envelope. */
type Content<P extends keyof paths, M extends Method = 'get'> = Ok<P, M> extends { content: infer C } ? C : never;
/** The `content` of a route's 201 (Created) envelope. */
type Created<P extends keyof paths, M extends Method = 'post'> = Made<P, M> extends { content: infer C } ? C : never;

export type Case = components['schemas']['Case'];
export type FieldIssue = components['schemas']['ErrorEnvelope']['error'] extends { fields?: (infer F)[] } ? F : never;

export type WorklistItem = Content<'/reading/worklist'>[number];
export type ReportedItem = Content<'/reading/reported'>[number];
export type ReadingView = Content<'/reading/cases/{id}'>;
/** A case as a reader sees it (the current one carries its deadline too). */
export type ReadingCase = ReadingView['previous_cases'][number] & { readonly deadline?: string; readonly overdue?: boolean };
export type ReadingImage = ReadingCase['images'][number];
export type ReportVersion = Content<'/reading/cases/{id}/reports'>[number];
export type EyeGrading = ReportVersion['od'];

export type StaffCase = Content<'/staff/cases/{id}'>;
export type Center = Content<'/staff/centers'>[number];
export type Me = Content<'/me'>;

export type Organisation = Content<'/admin/organisations'>[number];
export type NewOrganisation = Created<'/admin/organisations'>;
export type AdminCenter = Content<'/admin/centers'>[number];
export type ApiClient = Content<'/admin/api-clients'>[number];
export type NewApiClient = Created<'/admin/api-clients'>;
export type ClientSecret = Content<'/admin/api-clients/{apiClientId}/rotate-secret', 'post'>;
export type AdminUser = Content<'/admin/users'>[number];
export type NewUser = Created<'/admin/users'>;
export type PasswordReset = Content<'/admin/users/{userId}/password', 'post'>;
export type AuditEntry = Content<'/admin/audit'>[number];
