import type { Kysely } from 'kysely';
import { type Audience, admits, audienceDescription, isPersonAudience } from '../domain/access.js';
import type { Case } from '../domain/case.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { ReportState } from './report.service.js';
import type { RevisedCase } from '../storage/repositories/case.repository.js';
import type { Repositories } from '../storage/repositories.js';
import type { Database } from '../storage/schema.js';

/**
 * The one answer to "what may this caller see and change". Every service
 * asks it for the case it acts on and gets the case or a 404: another
 * tenant's id looks exactly like one that does not exist, so ids reveal
 * nothing. Which kind of caller may use a route is the route's declared
 * audience (src/domain/access.ts), checked by the HTTP layer's one hook;
 * services serving one kind of caller check the same rule here again, since
 * the CLI and the workers call them too.
 *
 * - API clients: the centers they work for;
 * - staff: the centers they are members of;
 * - readers: every center of their organisation (the reading service reads for all of them);
 * - admins: no patient data by membership.
 */
export class Access {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repos: Pick<Repositories, 'tenancy' | 'cases'>,
  ) {}

  /** Refuses a caller outside the audience. */
  require(principal: Principal, audience: Audience): void {
    if (admits(audience, principal)) return;
    throw new ForbiddenError(isPersonAudience(audience) ? `Only ${audienceDescription(audience)} may use this` : 'Only API clients may use this');
  }

  /** The centers whose cases the caller may see. */
  async centerIdsOf(principal: Principal): Promise<readonly number[]> {
    if (principal.kind === 'api_client' || principal.role === 'staff') return principal.centerIds;
    if (principal.role === 'reader') return (await this.repos.tenancy.listCenters(this.db, principal.organisationId)).map((c) => c.id);
    return [];
  }

  /** Whether the caller may work in a center (send cases to it, make it active). */
  async mayUseCenter(principal: Principal, centerId: number): Promise<boolean> {
    return (await this.centerIdsOf(principal)).includes(centerId);
  }

  /** Of a case the caller may see, what a report download needs first (services/report.service.ts); or a 404. */
  async reportStateFor(principal: Principal, caseId: number): Promise<ReportState> {
    const found = await this.repos.cases.reportStateForViewer(this.db, caseId, await this.centerIdsOf(principal));
    if (!found) throw new NotFoundError('Case');
    return found;
  }

  /** A case the caller may see, or a 404. */
  async caseFor(principal: Principal, caseId: number, db: Kysely<Database> = this.db): Promise<Case> {
    const found = await this.repos.cases.findCaseForViewer(db, caseId, await this.centerIdsOf(principal));
    if (!found) throw new NotFoundError('Case');
    return found;
  }

  /** `caseFor`, with the revision (migration 0031) the case was read at. */
  async revisedCaseFor(principal: Principal, caseId: number): Promise<RevisedCase> {
    const found = await this.repos.cases.findRevisedCaseForViewer(this.db, caseId, await this.centerIdsOf(principal));
    if (!found) throw new NotFoundError('Case');
    return found;
  }

  /** The current revision of a case the caller may see, or a 404: one indexed lookup. */
  async revisionFor(principal: Principal, caseId: number): Promise<number> {
    const revision = await this.repos.cases.revisionForViewer(this.db, caseId, await this.centerIdsOf(principal));
    if (revision === undefined) throw new NotFoundError('Case');
    return revision;
  }
}
