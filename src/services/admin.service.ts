import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../domain/errors.js';
import type { ClientPrincipal, Principal } from '../domain/principal.js';
import { drawDemoFundusApart } from '../media/demo-fundus-apart.js';
import { generatePublicId, generateSecret, hashPassword, hashSecret } from '../security/secrets.js';
import type { ApiClientRecord } from '../storage/repositories/api-client.repository.js';
import type { CenterChanges, OrganisationRecord } from '../storage/repositories/tenancy.repository.js';
import type { Database } from '../storage/schema.js';
import type { UserRecord, UserRole } from '../storage/repositories/user.repository.js';
import {
  ADDRESS_MAX_LENGTH,
  ADDRESS_MAX_LINES,
  type Center,
  REPORT_LANGUAGES,
  canonicalTimezone,
  centerOf,
  isReportLanguage,
  normalizedAddress,
} from '../domain/center.js';
import { USER_ROLES } from '../domain/principal.js';
import type { CaseService } from './case.service.js';
import type { ServiceContext } from './context.js';
import type { TokenCache } from './token-cache.js';


export interface NewApiClient {
  readonly id: number;
  readonly clientId: string;
  /** Shown once: only its hash is stored. */
  readonly clientSecret: string;
  readonly name: string;
  readonly centerIds: readonly number[];
}

/** A client's new secret, shown once. */
export interface ClientSecret {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface NewUser {
  readonly id: number;
  readonly email: string;
  readonly role: UserRole;
  /** Present only when the password was generated here. */
  readonly password?: string;
}

export interface DemoCredentials {
  readonly organisation: OrganisationRecord;
  readonly centers: readonly Center[];
  readonly client: NewApiClient;
  /** A retina specialist, a member of staff of the first center and an admin of the organisation, passwords shown once. */
  readonly reader: NewUser;
  readonly staff: NewUser;
  readonly admin: NewUser;
  /** A pending case with two photographs in the first center, for the reader to report (serve only). */
  readonly demoCaseId: number | null;
}

function fail(field: string, rule: string, message: string): never {
  throw new ValidationError([{ field, rule, message }]);
}

function throwIssues(issues: readonly FieldIssue[]): void {
  if (issues.length > 0) throw new ValidationError(issues);
}

/**
 * Whose administration a call does: the whole installation's (the CLI, run
 * by whoever runs the server) or one organisation's (an admin logged in,
 * who sees and changes nothing of another organisation: its ids are 404).
 */
export type AdminScope = { readonly kind: 'installation' } | { readonly kind: 'organisation'; readonly organisationId: number };

export const INSTALLATION: AdminScope = { kind: 'installation' };

/** A center's fields as an administrator gives them (unchecked); null clears the time zone (instance default) or the address. */
export type CenterInput = CenterChanges;

/** What an administrator changes of a person; a property left out stays as it is. */
export interface UserUpdate {
  readonly name?: string;
  readonly role?: string;
  readonly licenceNumber?: string | null;
  readonly centerIds?: readonly number[];
  readonly disabled?: boolean;
}

export interface NewUserInput {
  readonly email: string;
  readonly role: string;
  readonly name: string;
  readonly password?: string;
  readonly licenceNumber?: string;
  readonly centerIds?: readonly number[];
  readonly organisationId?: number;
}

/** A person's new password: shown once when it was generated here. */
export interface PasswordReset {
  readonly userId: number;
  readonly password?: string;
}

const nameIssue = (field: string, value: string): FieldIssue[] =>
  value === '' || value.length > 200 ? [{ field, rule: 'length', message: 'must be 1 to 200 characters' }] : [];

const passwordIssue = (password: string | undefined): FieldIssue[] =>
  password !== undefined && (password.length < 12 || password.length > 1024)
    ? [{ field: 'password', rule: 'length', message: 'must be 12 to 1024 characters' }]
    : [];

/** A person's role and what it needs: a reader signs reports with a licence number, staff work for at least one center. */
function roleIssues(role: string, licence: string | null, centerIds: readonly number[]): FieldIssue[] {
  if (!(USER_ROLES as readonly string[]).includes(role)) return [{ field: 'role', rule: 'enum', message: `must be one of ${USER_ROLES.join(', ')}` }];
  const issues: FieldIssue[] = [];
  if (role === 'reader' && licence === null) issues.push({ field: 'licence_number', rule: 'required', message: 'is required: a reader signs reports with it' });
  if (role === 'staff' && centerIds.length === 0) issues.push({ field: 'center_ids', rule: 'required', message: 'must name at least one center: staff work for their centers' });
  return issues;
}

const generatedPassword = () => generateSecret().slice(0, 20);

/**
 * Administration of organisations, centers, API clients and people, for the
 * CLI (the installation) and the admin API (one organisation). Every method
 * takes the scope it acts in; what lies outside it does not exist.
 */
export class AdminService {
  constructor(
    private readonly ctx: ServiceContext,
    /** The demo case goes through the same intake as POST /cases. */
    private readonly cases: CaseService,
    /** Tokens this process looked up lately: a client changed here is forgotten there once committed. */
    private readonly tokens: TokenCache,
  ) {}

  private nowIso(): string {
    return this.ctx.now().toISOString();
  }

  /** The scope of an admin logged in: their organisation. */
  scopeOf(principal: Principal): AdminScope {
    this.ctx.access.require(principal, 'admin');
    return { kind: 'organisation', organisationId: principal.organisationId };
  }

  /** The organisation filter of a scope: none for the installation. */
  private within(scope: AdminScope): number | undefined {
    return scope.kind === 'organisation' ? scope.organisationId : undefined;
  }

  private inScope(scope: AdminScope, organisationId: number): boolean {
    return scope.kind === 'installation' || scope.organisationId === organisationId;
  }

  // ---- Organisations

  async createOrganisation(name: string): Promise<OrganisationRecord> {
    const clean = name.trim();
    throwIssues(nameIssue('name', clean));
    const createdAt = this.nowIso();
    const id = await this.ctx.repos.tenancy.insertOrganisation(this.ctx.db, clean, createdAt);
    return { id, name: clean, createdAt };
  }

  /**
   * A new organisation with its first admin, in one transaction (neither
   * without the other): the admin API's way to start a tenant, since the
   * admin who creates it cannot see into it afterwards.
   */
  async createOrganisationWithAdmin(input: { name: string; admin: { email: string; name: string; password?: string } }): Promise<{ organisation: OrganisationRecord; admin: NewUser }> {
    const name = input.name.trim();
    const person = this.checkNewUser({ ...input.admin, role: 'admin' }, 'admin.');
    throwIssues([...nameIssue('name', name), ...person.issues]);
    await this.requireFreeEmail(person.email, 'admin.email');
    const password = input.admin.password ?? generatedPassword();
    const passwordHash = await hashPassword(password, this.ctx.config.passwordHashCost);
    const createdAt = this.nowIso();
    const { repos } = this.ctx;
    const [organisationId, adminId] = await this.insertingPerson(person.email, 'admin.email', () =>
      this.ctx.db.transaction().execute(async (trx) => {
        const orgId = await repos.tenancy.insertOrganisation(trx, name, createdAt);
        const userId = await repos.users.insertUser(trx, { organisationId: orgId, email: person.email, passwordHash, role: 'admin', name: person.name, licenceNumber: null, centerIds: [] }, createdAt);
        return [orgId, userId] as const;
      }),
    );
    return {
      organisation: { id: organisationId, name, createdAt },
      admin: { id: adminId, email: person.email, role: 'admin', ...(input.admin.password === undefined ? { password } : {}) },
    };
  }

  async listOrganisations(scope: AdminScope = INSTALLATION): Promise<OrganisationRecord[]> {
    return this.ctx.repos.tenancy.listOrganisations(this.ctx.db, this.within(scope));
  }

  async renameOrganisation(scope: AdminScope, id: number, name: string): Promise<OrganisationRecord> {
    const clean = name.trim();
    throwIssues(nameIssue('name', clean));
    const { db, repos } = this.ctx;
    if (!this.inScope(scope, id) || !(await repos.tenancy.renameOrganisation(db, id, clean))) throw new NotFoundError('Organisation');
    return (await repos.tenancy.listOrganisations(db, id))[0]!;
  }

  /** The organisation named, or the only one there is. */
  private async resolveOrganisation(organisationId: number | undefined): Promise<number> {
    const { db, repos } = this.ctx;
    if (organisationId !== undefined) {
      if (!(await repos.tenancy.findOrganisation(db, organisationId))) fail('organisation', 'exists', `organisation ${organisationId} does not exist`);
      return organisationId;
    }
    const all = await repos.tenancy.listOrganisations(db);
    if (all.length === 1) return all[0]!.id;
    return fail('organisation', 'required', all.length === 0 ? 'create an organisation first' : 'name the organisation: there are several');
  }

  /** Where a new center or person goes: the admin's organisation, or for the CLI the one named (or the only one). */
  private organisationFor(scope: AdminScope, requested: number | undefined): Promise<number> {
    return scope.kind === 'organisation' ? Promise.resolve(scope.organisationId) : this.resolveOrganisation(requested);
  }

  // ---- Centers

  /** The center's fields checked and cleaned; what is not given stays undefined. */
  private checkCenter(input: CenterInput): { issues: FieldIssue[]; values: CenterChanges } {
    const issues: FieldIssue[] = [];
    const name = input.name?.trim();
    if (name !== undefined) issues.push(...nameIssue('name', name));
    if (input.language !== undefined && !isReportLanguage(input.language)) {
      issues.push({ field: 'language', rule: 'enum', message: `must be one of ${REPORT_LANGUAGES.join(', ')}` });
    }
    let timezone: string | null | undefined;
    if (input.timezone !== undefined && input.timezone !== null) {
      timezone = canonicalTimezone(input.timezone);
      if (timezone === null) issues.push({ field: 'timezone', rule: 'format', message: 'must be an IANA time zone name such as Europe/Madrid or UTC' });
    } else timezone = input.timezone;
    const address = input.address === undefined || input.address === null ? input.address : normalizedAddress(input.address);
    if (address && (address.length > ADDRESS_MAX_LENGTH || address.split('\n').length > ADDRESS_MAX_LINES)) {
      issues.push({ field: 'address', rule: 'length', message: `must be at most ${ADDRESS_MAX_LINES} lines and ${ADDRESS_MAX_LENGTH} characters, to fit on the report` });
    }
    return { issues, values: { name, language: input.language, timezone, address } };
  }

  /**
   * A center of an organisation: its reports' language, the time zone they
   * are dated in (an IANA name Intl knows; without one, the center follows
   * the instance default, OPENRETINA_DEFAULT_TIMEZONE) and the address
   * printed on them.
   */
  async createCenter(input: CenterInput & { name: string; organisationId?: number }, scope: AdminScope = INSTALLATION): Promise<Center> {
    const { issues, values } = this.checkCenter({ ...input, language: input.language ?? 'en' });
    throwIssues(issues);
    const organisationId = await this.organisationFor(scope, input.organisationId);
    const stored = await this.ctx.repos.tenancy.insertCenter(
      this.ctx.db,
      { organisationId, name: values.name!, language: values.language!, timezone: values.timezone ?? null, address: values.address ?? null },
      this.nowIso(),
    );
    return this.center(stored);
  }

  async listCenters(scope: AdminScope = INSTALLATION, organisationId?: number): Promise<Center[]> {
    const only = this.within(scope) ?? organisationId;
    return (await this.ctx.repos.tenancy.listCenters(this.ctx.db, only)).map((c) => this.center(c));
  }

  async updateCenter(scope: AdminScope, id: number, changes: CenterInput): Promise<Center> {
    const { issues, values } = this.checkCenter(changes);
    const { db, repos } = this.ctx;
    const found = await repos.tenancy.findCenter(db, id);
    if (!found || !this.inScope(scope, found.organisationId)) throw new NotFoundError('Center');
    throwIssues(issues);
    return this.center((await repos.tenancy.updateCenter(db, id, values))!);
  }

  private center(stored: Parameters<typeof centerOf>[0]): Center {
    return centerOf(stored, this.ctx.config.defaultTimezone);
  }

  /**
   * Checks that the centers exist (within the scope: another organisation's
   * look missing) and share one organisation, which it returns.
   */
  private async organisationOfCenters(scope: AdminScope, centerIds: readonly number[], field: string, db: Kysely<Database> = this.ctx.db): Promise<number> {
    if (centerIds.length === 0) fail(field, 'required', 'must name at least one center');
    const unique = [...new Set(centerIds)];
    const centers = (await this.ctx.repos.tenancy.findCentersByIds(db, unique)).filter((c) => this.inScope(scope, c.organisationId));
    const missing = unique.filter((id) => !centers.some((c) => c.id === id));
    if (missing.length > 0) fail(field, 'exists', `must name existing centers: there is no center ${missing.join(', ')}`);
    const organisations = new Set(centers.map((c) => c.organisationId));
    if (organisations.size > 1) fail(field, 'same_organisation', 'must all belong to one organisation');
    return centers[0]!.organisationId;
  }

  // ---- API clients

  async createApiClient(input: { name: string; centerIds: readonly number[] }, scope: AdminScope = INSTALLATION): Promise<NewApiClient> {
    const name = input.name.trim();
    throwIssues(nameIssue('name', name));
    const centerIds = [...new Set(input.centerIds)];
    const organisationId = await this.organisationOfCenters(scope, centerIds, 'center_ids');
    const clientId = generatePublicId('orc_');
    const secret = generateSecret('ors_');
    const id = await this.ctx.db.transaction().execute((trx) =>
      this.ctx.repos.apiClients.insertApiClient(
        trx,
        { organisationId, clientId, secretHash: hashSecret(secret), name, centerIds },
        this.nowIso(),
      ),
    );
    return { id, clientId, clientSecret: secret, name, centerIds };
  }

  async listApiClients(scope: AdminScope = INSTALLATION): Promise<ApiClientRecord[]> {
    return this.ctx.repos.apiClients.listApiClients(this.ctx.db, { organisationId: this.within(scope) });
  }

  /** A client in the scope, by its row id (the API) or its public client_id (the CLI); else 404. */
  private async clientIn(db: Kysely<Database>, scope: AdminScope, ref: number | string): Promise<ApiClientRecord> {
    const { apiClients } = this.ctx.repos;
    const id = typeof ref === 'number' ? ref : (await apiClients.findOwner(db, ref))?.id;
    const found = id === undefined ? undefined : (await apiClients.listApiClients(db, { id }))[0];
    if (!found || !this.inScope(scope, found.organisationId)) throw new NotFoundError('API client');
    return found;
  }

  /** A new secret for the client; the old one and every token issued with it stop working at once. */
  async rotateClientSecret(client: number | string, scope: AdminScope = INSTALLATION): Promise<ClientSecret & { readonly id: number }> {
    const secret = generateSecret('ors_');
    const { db, repos } = this.ctx;
    const rotated = await db.transaction().execute(async (trx) => {
      const found = await this.clientIn(trx, scope, client);
      if (found.disabled) throw new ConflictError('api_client_revoked', 'The API client is revoked; create a new one');
      await repos.apiClients.updateSecretHash(trx, found.clientId, hashSecret(secret), this.nowIso());
      await repos.apiClients.deleteTokensOfClient(trx, found.id);
      return { id: found.id, clientId: found.clientId, clientSecret: secret };
    });
    // After the commit: a lookup made before it could otherwise be remembered again.
    this.tokens.forgetClient(rotated.id);
    return rotated;
  }

  /** The client authenticates no more and its tokens stop working; for good (a revoked secret may have leaked). */
  async revokeApiClient(client: number | string, scope: AdminScope = INSTALLATION): Promise<ApiClientRecord> {
    const { db, repos } = this.ctx;
    const revoked = await db.transaction().execute(async (trx) => {
      const found = await this.clientIn(trx, scope, client);
      await repos.apiClients.disable(trx, found.id, this.nowIso());
      await repos.apiClients.deleteTokensOfClient(trx, found.id);
      return (await repos.apiClients.listApiClients(trx, { id: found.id }))[0]!;
    });
    this.tokens.forgetClient(revoked.id);
    return revoked;
  }

  /** The centers the client may use, the first its default; tokens active in a center it lost end. */
  async setClientCenters(client: number | string, centerIds: readonly number[], scope: AdminScope = INSTALLATION): Promise<ApiClientRecord> {
    const unique = [...new Set(centerIds)];
    const { db, repos } = this.ctx;
    const changed = await db.transaction().execute(async (trx) => {
      const found = await this.clientIn(trx, scope, client);
      const organisationId = await this.organisationOfCenters(scope, unique, 'center_ids', trx);
      if (organisationId !== found.organisationId) fail('center_ids', 'same_organisation', "must be centers of the client's own organisation");
      await repos.apiClients.setCenters(trx, found.id, unique);
      return (await repos.apiClients.listApiClients(trx, { id: found.id }))[0]!;
    });
    this.tokens.forgetClient(changed.id);
    return changed;
  }

  // ---- People

  /** A new person's fields checked and cleaned (issues named with `prefix`, e.g. `admin.` for an organisation's first admin). */
  private checkNewUser(input: NewUserInput, prefix = ''): { issues: FieldIssue[]; email: string; name: string; licence: string | null; centerIds: number[] } {
    const email = input.email.trim().toLowerCase();
    const name = input.name.trim();
    const licence = input.licenceNumber?.trim() || null;
    const centerIds = [...new Set(input.centerIds ?? [])];
    const issues: FieldIssue[] = [];
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) issues.push({ field: 'email', rule: 'format', message: 'must be an e-mail address' });
    issues.push(...roleIssues(input.role, licence, centerIds), ...nameIssue('name', name), ...passwordIssue(input.password));
    return { issues: issues.map((i) => ({ ...i, field: `${prefix}${i.field}` })), email, name, licence, centerIds };
  }

  private async requireFreeEmail(email: string, field = 'email'): Promise<void> {
    if (await this.ctx.repos.users.emailExists(this.ctx.db, email)) {
      throw new ConflictError('email_taken', 'A person with this e-mail exists', [{ field, rule: 'unique', message: 'is taken: a person with this e-mail exists' }]);
    }
  }

  /**
   * Runs the insert of a person whose e-mail was free when checked: when
   * another request took it in between, the unique index refuses the insert
   * and the answer is the same 409 as the check's.
   */
  private async insertingPerson<T>(email: string, field: string, insert: () => Promise<T>): Promise<T> {
    try {
      return await insert();
    } catch (error) {
      await this.requireFreeEmail(email, field);
      throw error;
    }
  }

  async createUser(input: NewUserInput, scope: AdminScope = INSTALLATION): Promise<NewUser> {
    const { issues, email, name, licence, centerIds } = this.checkNewUser(input);
    throwIssues(issues);
    await this.requireFreeEmail(email);
    const organisationId =
      centerIds.length > 0 ? await this.organisationOfCenters(scope, centerIds, 'center_ids') : await this.organisationFor(scope, input.organisationId);
    const role = input.role as UserRole;
    const password = input.password ?? generatedPassword();
    const passwordHash = await hashPassword(password, this.ctx.config.passwordHashCost);
    const id = await this.insertingPerson(email, 'email', () =>
      this.ctx.db.transaction().execute(async (trx) =>
        this.ctx.repos.users.insertUser(trx, { organisationId, email, passwordHash, role, name, licenceNumber: licence, centerIds }, this.nowIso()),
      ),
    );
    return { id, email, role, ...(input.password === undefined ? { password } : {}) };
  }

  async listUsers(scope: AdminScope = INSTALLATION): Promise<UserRecord[]> {
    return this.ctx.repos.users.listUsers(this.ctx.db, this.within(scope));
  }

  private async userIn(db: Kysely<Database>, scope: AdminScope, id: number): Promise<UserRecord> {
    const found = await this.ctx.repos.users.findUser(db, id);
    if (!found || !this.inScope(scope, found.organisationId)) throw new NotFoundError('Person');
    return found;
  }

  /**
   * Changes a person's name, role, licence, centers, or disables (enables)
   * them. A disabled person cannot log in and their sessions end. The
   * person as changed must still make sense (a reader has a licence, staff
   * a center), and an admin cannot disable or demote themselves.
   */
  async updateUser(scope: AdminScope, id: number, changes: UserUpdate, actingUserId: number | null = null): Promise<UserRecord> {
    const { db, repos } = this.ctx;
    return db.transaction().execute(async (trx) => {
      const current = await this.userIn(trx, scope, id);
      const name = changes.name?.trim();
      const licence = changes.licenceNumber === undefined ? current.licenceNumber : changes.licenceNumber?.trim() || null;
      const role = changes.role ?? current.role;
      const centerIds = changes.centerIds === undefined ? current.centerIds : [...new Set(changes.centerIds)];
      const issues = [...(name === undefined ? [] : nameIssue('name', name)), ...roleIssues(role, licence, centerIds)];
      if (id === actingUserId && changes.disabled === true) issues.push({ field: 'disabled', rule: 'self', message: 'cannot be set on yourself: another admin must disable you' });
      if (id === actingUserId && role !== 'admin') issues.push({ field: 'role', rule: 'self', message: 'cannot be changed on yourself: another admin must do it' });
      throwIssues(issues);
      if (changes.centerIds !== undefined && centerIds.length > 0) {
        const organisationId = await this.organisationOfCenters(scope, centerIds, 'center_ids', trx);
        if (organisationId !== current.organisationId) fail('center_ids', 'same_organisation', "must be centers of the person's own organisation");
      }
      const disabledAt = changes.disabled === undefined || changes.disabled === current.disabled ? undefined : changes.disabled ? this.nowIso() : null;
      await repos.users.updateUser(trx, id, { name, role: role as UserRole, licenceNumber: licence, disabledAt });
      if (changes.centerIds !== undefined) await repos.users.setCenters(trx, id, centerIds);
      if (changes.disabled === true) await repos.users.deleteSessionsOfUser(trx, id);
      return (await repos.users.findUser(trx, id))!;
    });
  }

  /** A new password (given, or generated and shown once); the person's sessions end. */
  async resetPassword(scope: AdminScope, id: number, password?: string): Promise<PasswordReset> {
    throwIssues(passwordIssue(password));
    const { db, repos } = this.ctx;
    await this.userIn(db, scope, id);
    const chosen = password ?? generatedPassword();
    const passwordHash = await hashPassword(chosen, this.ctx.config.passwordHashCost);
    await db.transaction().execute(async (trx) => {
      await this.userIn(trx, scope, id);
      await repos.users.setPasswordHash(trx, id, passwordHash);
      await repos.users.deleteSessionsOfUser(trx, id);
    });
    return { userId: id, ...(password === undefined ? { password: chosen } : {}) };
  }

  /**
   * On an empty database, a demo organisation with two centers and one API
   * client working for both, a reader, a member of staff and an admin, and (with
   * `withCase`, as `serve` asks) one pending case to report; returns the
   * credentials to print once, or null when the database already has data.
   */
  async seedDemoIfEmpty(options: { withCase?: boolean } = {}): Promise<DemoCredentials | null> {
    if ((await this.ctx.repos.tenancy.countOrganisations(this.ctx.db)) > 0) return null;
    // Several processes may start together on one empty database: one seeds, the others see it claimed.
    if (!(await this.ctx.repos.tenancy.claimOnce(this.ctx.db, 'demo-seed', this.nowIso()))) return null;
    const organisation = await this.createOrganisation('Demo Optics');
    const north = await this.createCenter({ name: 'Demo Optics North', language: 'en', timezone: 'Europe/London', organisationId: organisation.id });
    const south = await this.createCenter({ name: 'Demo Optics South', language: 'es', timezone: 'Europe/Madrid', organisationId: organisation.id });
    const client = await this.createApiClient({ name: 'Demo camera software', centerIds: [north.id, south.id] });
    const reader = await this.createUser({ email: 'reader@demo.openretina.org', role: 'reader', name: 'Dr. Demo Reader', licenceNumber: 'DEMO-0001', organisationId: organisation.id });
    const staff = await this.createUser({ email: 'staff@demo.openretina.org', role: 'staff', name: 'Demo Staff', centerIds: [north.id] });
    const admin = await this.createUser({ email: 'admin@demo.openretina.org', role: 'admin', name: 'Demo Admin', organisationId: organisation.id });
    // As if the demo camera software had sent it: the same intake path as POST /cases.
    const camera: ClientPrincipal = { kind: 'api_client', apiClientId: client.id, organisationId: organisation.id, tokenId: 0, activeCenterId: north.id, centerIds: client.centerIds };
    const demoCaseId = options.withCase ? await this.createDemoCase(camera) : null;
    return { organisation, centers: [north, south], client, reader, staff, admin, demoCaseId };
  }

  /** A pending case with two synthetic fundus photographs (right and left eye). */
  private async createDemoCase(camera: ClientPrincipal): Promise<number> {
    const staging = this.cases.beginImageStaging();
    const [od, os] = await Promise.all([drawDemoFundusApart('od'), drawDemoFundusApart('os')]);
    await staging.add('images[0]', 'demo_OD.jpg', Readable.from([od]));
    await staging.add('images[1]', 'demo_OS.jpg', Readable.from([os]));
    const fields = {
      history_number: 'DEMO-0001',
      first_name: 'Demo',
      last_name: 'Patient',
      gender: '1',
      age: '61',
      diabetes: '1',
      od_va: '0.8',
      os_va: '0.7',
      od_iop: '16',
      os_iop: '17',
      visit_reason: 'Yearly diabetic retinopathy screening',
    };
    return (await this.cases.createCase(camera, fields, staging)).caseId;
  }
}
