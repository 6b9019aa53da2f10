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

/** What a person does: read and sign (reader), send cases for their centers (staff), administer (admin). */
export const USER_ROLES = ['admin', 'reader', 'staff'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A person logged in: a retina specialist (reader), center staff or an admin. */
export interface UserPrincipal {
  readonly kind: 'user';
  readonly userId: number;
  readonly sessionId: number;
  readonly organisationId: number;
  readonly role: UserRole;
  /** Staff: the centers they work for. Readers and admins: none by membership. */
  readonly centerIds: readonly number[];
}

export type Principal = ClientPrincipal | UserPrincipal;
