import { ForbiddenError } from '../domain/errors.js';
import type { Principal, UserPrincipal } from '../domain/principal.js';

/**
 * The one answer to "which centers' data may this caller see". Every query
 * for cases, images and reports goes through it; anything outside is reported
 * as not found, never as forbidden, so ids of other tenants reveal nothing.
 */
export function visibleCenterIds(principal: Principal): readonly number[] {
  // API clients: the centers they work for. People: the centers they are
  // members of (staff); what readers and admins see comes with the reading workflow.
  return principal.centerIds;
}

export function canSeeCenter(principal: Principal, centerId: number): boolean {
  return visibleCenterIds(principal).includes(centerId);
}

/**
 * Readers read the cases of every center of their organisation (the reading
 * service is the organisation); nobody else reads through the reading API.
 */
export async function readableCenterIds(
  principal: UserPrincipal,
  centersOfOrganisation: (organisationId: number) => Promise<readonly number[]>,
): Promise<readonly number[]> {
  return principal.role === 'reader' ? centersOfOrganisation(principal.organisationId) : [];
}

/** The staff API (and the web app's staff screens) is for center staff only. */
export function requireStaff(principal: UserPrincipal): void {
  if (principal.role !== 'staff') throw new ForbiddenError('Only center staff may use this');
}
