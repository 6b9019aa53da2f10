/** Who is calling: an API client acting for its active center. */
export interface ClientPrincipal {
  readonly kind: 'api_client';
  readonly apiClientId: number;
  readonly organisationId: number;
  readonly tokenId: number;
  /** The center new cases go to and `GET /cases` lists (moved by `change-center`). */
  readonly activeCenterId: number;
  /** Every center the client may work for; a case outside these does not exist for it. */
  readonly centerIds: readonly number[];
}

export type Principal = ClientPrincipal;
