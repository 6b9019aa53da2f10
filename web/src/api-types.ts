import type { components, paths } from './api-schema.js';

/**
 * The shapes of the API's answers as the web app uses them, named once and
 * taken from the types generated from openapi.json (api-schema.d.ts): when
 * a route's schema changes, the app fails to compile where it no longer fits.
 */
type JsonBody<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Ok<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends { responses: { 200: infer R } } ? JsonBody<R> : never;
/** The `content` of a route's successful envelope. */
type Content<P extends keyof paths, M extends 'get' | 'post' = 'get'> = Ok<P, M> extends { content: infer C } ? C : never;

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
