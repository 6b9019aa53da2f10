import type { Principal } from '../domain/principal.js';

/**
 * The one answer to "which centers' data may this caller see". Every query
 * for cases, images and reports goes through it; anything outside is reported
 * as not found, never as forbidden, so ids of other tenants reveal nothing.
 */
export function visibleCenterIds(principal: Principal): readonly number[] {
  return principal.centerIds;
}

export function canSeeCenter(principal: Principal, centerId: number): boolean {
  return visibleCenterIds(principal).includes(centerId);
}
