import type { Principal, UserPrincipal } from './principal.js';

/**
 * Who may call a route. Every route declares one audience; one hook
 * authenticates the request and applies this rule, so no route decides it
 * again. What a caller may *see* (which centers, which cases) is decided by
 * `services/access.ts`, which answers "not found" for anything outside.
 *
 * - `public`: nobody needs to authenticate (the token endpoint, login, the web app's files);
 * - `api_client`: camera software and clinic systems with an OAuth token (the OPTretina API);
 * - `person`: anyone logged in (their own profile, logout);
 * - `reader`, `staff`, `admin`: people with that role.
 */
export const AUDIENCES = ['public', 'api_client', 'person', 'reader', 'staff', 'admin'] as const;
export type Audience = (typeof AUDIENCES)[number];

export type PersonAudience = Extract<Audience, 'person' | 'reader' | 'staff' | 'admin'>;

/** Whether an authenticated caller belongs to the audience. */
export function admits(audience: Audience, principal: Principal): boolean {
  switch (audience) {
    case 'public':
      return true;
    case 'api_client':
      return principal.kind === 'api_client';
    case 'person':
      return principal.kind === 'user';
    case 'reader':
    case 'staff':
    case 'admin':
      return principal.kind === 'user' && principal.role === audience;
  }
}

/** What a refused person is told: the audience in words. */
export function audienceDescription(audience: PersonAudience): string {
  switch (audience) {
    case 'person':
      return 'people who log in';
    case 'reader':
      return 'readers (retina specialists)';
    case 'staff':
      return 'center staff';
    case 'admin':
      return 'administrators';
  }
}

export function isPersonAudience(audience: Audience): audience is PersonAudience {
  return audience === 'person' || audience === 'reader' || audience === 'staff' || audience === 'admin';
}

/** Narrowing for services whose every caller is a person of one role (the route's audience already checked it). */
export function hasRole<R extends UserPrincipal['role']>(principal: Principal, role: R): principal is UserPrincipal & { readonly role: R } {
  return principal.kind === 'user' && principal.role === role;
}
