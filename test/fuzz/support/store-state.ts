import assert from 'node:assert/strict';
import { type Dirent, readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { TestServer } from '../../helpers/server.js';

/**
 * What a request may change, read from the database in one round trip and
 * from the blob directory: a fingerprint of every table the fuzzed endpoints
 * write (row counts, and the columns that change: statuses, timestamps,
 * active centers, claim expiries), the counts of rows that would break the
 * store's consistency, the image rows' blob keys and every file under the
 * blob directory, unfinished writes (`.tmp-…`) included.
 */
export interface StoreState {
  /** Row counts, also part of the fingerprint. */
  readonly counts: Readonly<Record<'cases' | 'images' | 'jobs' | 'keys' | 'reports' | 'rejections' | 'deliveries' | 'tokens' | 'sessions' | 'claims', number>>;
  readonly fingerprint: Readonly<Record<string, unknown>>;
  /** Rows that point at nothing or miss what they need: all zero in a consistent store. */
  readonly broken: Readonly<Record<string, number>>;
  readonly imageKeys: readonly string[];
  readonly files: readonly string[];
}

const FINGERPRINT = sql<Record<string, unknown>>`select
  (select count(*) from cases) as cases,
  (select max(updated_at) from cases) as cases_updated,
  (select count(*) from cases where status = 'reported') as cases_reported,
  (select count(*) from cases where status = 'rejected') as cases_rejected,
  (select count(*) from case_images) as images,
  (select coalesce(max(id), 0) from case_images) as images_last,
  (select count(*) from preview_jobs) as jobs,
  (select count(*) from image_variants) as variants,
  (select count(*) from idempotency_keys) as keys,
  (select count(*) from case_claims) as claims,
  (select max(expires_at) from case_claims) as claims_expiry,
  (select count(*) from reports) as reports,
  (select count(*) from case_rejections) as rejections,
  (select count(*) from callback_deliveries) as deliveries,
  (select count(*) from access_tokens) as tokens,
  (select coalesce(sum(id * active_center_id), 0) from access_tokens) as tokens_centers,
  (select count(*) from user_sessions) as sessions,
  (select coalesce(max(id), 0) from user_sessions) as sessions_last,
  (select count(*) from case_images i where not exists (select 1 from cases c where c.id = i.case_id)) as broken_image_case,
  (select count(*) from case_images i where (select count(*) from preview_jobs j where j.image_id = i.id) <> 1) as broken_image_job,
  (select count(*) from preview_jobs j where not exists (select 1 from case_images i where i.id = j.image_id)) as broken_job_image,
  (select count(*) from image_variants v where not exists (select 1 from case_images i where i.id = v.image_id)) as broken_variant_image,
  (select count(*) from case_claims x where not exists (select 1 from cases c where c.id = x.case_id and c.status = 'pending')) as broken_claim_case,
  (select count(*) from cases c where (c.status = 'reported') <> exists (select 1 from reports r where r.case_id = c.id)) as broken_report,
  (select count(*) from cases c where (c.status = 'rejected') <> exists (select 1 from case_rejections r where r.case_id = c.id)) as broken_rejection,
  (select count(*) from cases c where c.status = 'reported' and c.report_version is null) as broken_report_version`;

export async function storeState(server: TestServer): Promise<StoreState> {
  const { db, dialect } = server.platform.database;
  const keyList = dialect === 'postgres' ? sql<{ keys: string | null }>`select string_agg(blob_key, '|') as keys from case_images` : sql<{ keys: string | null }>`select group_concat(blob_key, '|') as keys from case_images`;
  const [row, keys, files] = await Promise.all([FINGERPRINT.execute(db), keyList.execute(db), filesUnder(server.platform.config.blobDir)]);
  const values = Object.fromEntries(Object.entries(row.rows[0]!).map(([k, v]) => [k, typeof v === 'bigint' || (typeof v === 'string' && /^\d+$/.test(v) && !k.endsWith('updated') && !k.endsWith('expiry')) ? Number(v) : v]));
  const fingerprint = Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('broken_')));
  const broken = Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith('broken_')).map(([k, v]) => [k, Number(v)]));
  const n = (k: string) => Number(values[k]);
  return {
    counts: { cases: n('cases'), images: n('images'), jobs: n('jobs'), keys: n('keys'), reports: n('reports'), rejections: n('rejections'), deliveries: n('deliveries'), tokens: n('tokens'), sessions: n('sessions'), claims: n('claims') },
    fingerprint,
    broken,
    imageKeys: (keys.rows[0]?.keys ?? '').split('|').filter(Boolean).sort(),
    files,
  };
}

/**
 * Every file below a directory, relative to it, sorted. Read synchronously:
 * the blob store fans out into two levels of directories (images/ab/cd/), so
 * after a few hundred uploads one listing is hundreds of readdirs, and the
 * asynchronous recursive readdir sends each through libuv's thread pool.
 * Called twice per fuzzed request, that was most of a fuzz file's time.
 */
export async function filesUnder(root: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** A refused request changed nothing: no row, no status, no claim, no token, no file. */
export function assertUnchanged(before: StoreState, after: StoreState, what: string): void {
  assert.deepEqual(after.fingerprint, before.fingerprint, `${what}: the refused request changed the database`);
  assert.deepEqual(after.files, before.files, `${what}: the refused request changed the blob store`);
}

/**
 * The store is whole: every image row belongs to a case and names a file
 * that exists, every file under images/ has its row (no orphan, no
 * unfinished write), every image has its one preview job, and no job,
 * variant, claim, report or rejection points at nothing or contradicts its case.
 */
export function assertConsistent(state: StoreState): void {
  for (const [rule, count] of Object.entries(state.broken)) assert.equal(count, 0, `${rule}: ${count} rows break the store's consistency`);
  assert.deepEqual(state.files.filter((f) => f.startsWith('images/')), state.imageKeys, 'the files under images/ are exactly the image rows’ files');
}

/** How many images a case has. */
export async function imagesOf(server: TestServer, caseId: number): Promise<number> {
  const { db } = server.platform.database;
  return Number((await db.selectFrom('case_images').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow()).n);
}

/** A case's status, and how many reports it has. */
export async function caseRecord(server: TestServer, caseId: number): Promise<{ status: string | undefined; reports: number }> {
  const { db } = server.platform.database;
  const found = await db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirst();
  const reports = await db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
  return { status: found?.status, reports: Number(reports.n) };
}

/** The centers the API tokens are active in. */
export async function activeCenters(server: TestServer): Promise<number[]> {
  const rows = await server.platform.database.db.selectFrom('access_tokens').select('active_center_id').execute();
  return rows.map((r) => r.active_center_id);
}
