import type { Kysely } from 'kysely';
import { QueryShapes } from '../query-shapes.js';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

export interface ApiClientRecord {
  readonly id: number;
  readonly organisationId: number;
  readonly clientId: string;
  readonly name: string;
  readonly defaultCenterId: number;
  readonly centerIds: readonly number[];
  readonly createdAt: string;
  readonly secretRotatedAt: string;
  readonly disabled: boolean;
}

export interface TokenOwner {
  readonly tokenId: number;
  readonly apiClientId: number;
  readonly organisationId: number;
  readonly activeCenterId: number;
  readonly expiresAt: string;
  readonly centerIds: readonly number[];
}

/** API clients, their centers and their access tokens. */
export class ApiClientRepository {
  private readonly shapes = new QueryShapes();

  async insertApiClient(
    db: Db,
    values: { organisationId: number; clientId: string; secretHash: string; name: string; centerIds: readonly number[] },
    now: string,
  ): Promise<number> {
    const row = await db
      .insertInto('api_clients')
      .values({
        organisation_id: values.organisationId,
        client_id: values.clientId,
        secret_hash: values.secretHash,
        name: values.name,
        default_center_id: values.centerIds[0]!,
        created_at: now,
        secret_rotated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('api_client_centers')
      .values(values.centerIds.map((center_id) => ({ api_client_id: row.id, center_id })))
      .execute();
    return row.id;
  }

  async findForAuthentication(
    db: Db,
    clientId: string,
  ): Promise<{ id: number; organisationId: number; secretHash: string; defaultCenterId: number; disabled: boolean } | undefined> {
    const row = await db
      .selectFrom('api_clients')
      .select(['id', 'organisation_id', 'secret_hash', 'default_center_id', 'disabled_at'])
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return (
      row && { id: row.id, organisationId: row.organisation_id, secretHash: row.secret_hash, defaultCenterId: row.default_center_id, disabled: row.disabled_at !== null }
    );
  }

  async findOwner(db: Db, clientId: string): Promise<{ id: number; organisationId: number } | undefined> {
    const row = await db.selectFrom('api_clients').select(['id', 'organisation_id']).where('client_id', '=', clientId).executeTakeFirst();
    return row && { id: row.id, organisationId: row.organisation_id };
  }

  async updateSecretHash(db: Db, clientId: string, secretHash: string, now: string): Promise<boolean> {
    const result = await db
      .updateTable('api_clients')
      .set({ secret_hash: secretHash, secret_rotated_at: now })
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Every client, or those of one organisation, or (with `id`) the one. */
  async listApiClients(db: Db, filter: { organisationId?: number; id?: number } = {}): Promise<ApiClientRecord[]> {
    let query = db.selectFrom('api_clients').selectAll();
    if (filter.organisationId !== undefined) query = query.where('organisation_id', '=', filter.organisationId);
    if (filter.id !== undefined) query = query.where('id', '=', filter.id);
    const clients = await query.orderBy('id').execute();
    if (clients.length === 0) return [];
    const links = await db
      .selectFrom('api_client_centers')
      .select(['api_client_id', 'center_id'])
      .where('api_client_id', 'in', clients.map((c) => c.id))
      .orderBy('center_id')
      .execute();
    return clients.map((c) => ({
      id: c.id,
      organisationId: c.organisation_id,
      clientId: c.client_id,
      name: c.name,
      defaultCenterId: c.default_center_id,
      centerIds: links.filter((l) => l.api_client_id === c.id).map((l) => l.center_id),
      createdAt: c.created_at,
      secretRotatedAt: c.secret_rotated_at,
      disabled: c.disabled_at !== null,
    }));
  }

  /** A revoked client authenticates no more; the caller deletes its tokens in the same transaction. */
  async disable(db: Db, id: number, now: string): Promise<void> {
    await db.updateTable('api_clients').set({ disabled_at: now }).where('id', '=', id).where('disabled_at', 'is', null).execute();
  }

  /**
   * The centers the client works for, its default the first; its tokens
   * whose active center it no longer works for are deleted, so that no case
   * is sent to a center it lost.
   */
  async setCenters(db: Db, id: number, centerIds: readonly number[]): Promise<void> {
    await db.updateTable('api_clients').set({ default_center_id: centerIds[0]! }).where('id', '=', id).execute();
    await db.deleteFrom('api_client_centers').where('api_client_id', '=', id).execute();
    await db.insertInto('api_client_centers').values(centerIds.map((center_id) => ({ api_client_id: id, center_id }))).execute();
    await db.deleteFrom('access_tokens').where('api_client_id', '=', id).where('active_center_id', 'not in', [...centerIds]).execute();
  }

  async insertAccessToken(
    db: Db,
    values: { tokenHash: string; apiClientId: number; activeCenterId: number; expiresAt: string },
    now: string,
  ): Promise<void> {
    await db
      .insertInto('access_tokens')
      .values({
        token_hash: values.tokenHash,
        api_client_id: values.apiClientId,
        active_center_id: values.activeCenterId,
        expires_at: values.expiresAt,
        created_at: now,
      })
      .execute();
  }

  /** The token's owner: on every authenticated request, so compiled once (storage/query-shapes.ts). */
  async findTokenOwner(db: Db, tokenHash: string): Promise<TokenOwner | undefined> {
    const row = await this.shapes.first(db, 'token-owner', [tokenHash], (value) =>
      db
        .selectFrom('access_tokens as t')
        .innerJoin('api_clients as c', 'c.id', 't.api_client_id')
        .select(['t.id as token_id', 't.api_client_id', 't.active_center_id', 't.expires_at', 'c.organisation_id', 'c.disabled_at'])
        .where('t.token_hash', '=', value<string>(0)),
    );
    if (!row || row.disabled_at !== null) return undefined;
    const centers = await this.shapes.rows(db, 'client-centers', [row.api_client_id], (value) =>
      db.selectFrom('api_client_centers').select('center_id').where('api_client_id', '=', value<number>(0)).orderBy('center_id'),
    );
    return {
      tokenId: row.token_id,
      apiClientId: row.api_client_id,
      organisationId: row.organisation_id,
      activeCenterId: row.active_center_id,
      expiresAt: row.expires_at,
      centerIds: centers.map((c) => c.center_id),
    };
  }

  async updateActiveCenter(db: Db, tokenId: number, centerId: number): Promise<void> {
    await db.updateTable('access_tokens').set({ active_center_id: centerId }).where('id', '=', tokenId).execute();
  }

  async deleteTokensOfClient(db: Db, apiClientId: number): Promise<void> {
    await db.deleteFrom('access_tokens').where('api_client_id', '=', apiClientId).execute();
  }

  async deleteExpiredTokens(db: Db, now: string): Promise<number> {
    const result = await db.deleteFrom('access_tokens').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
