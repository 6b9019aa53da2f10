import { Readable } from 'node:stream';
import { ValidationError, type FieldIssue } from '../domain/errors.js';
import type { ClientPrincipal } from '../domain/principal.js';
import { demoFundusJpeg } from '../media/demo-fundus.js';
import { generatePublicId, generateSecret, hashPassword, hashSecret } from '../security/secrets.js';
import type { ApiClientRecord } from '../storage/repositories/api-client.repository.js';
import type { OrganisationRecord } from '../storage/repositories/tenancy.repository.js';
import type { UserRecord, UserRole } from '../storage/repositories/user.repository.js';
import { type Center, REPORT_LANGUAGES, canonicalTimezone, centerOf } from '../domain/center.js';
import { USER_ROLES } from '../domain/principal.js';
import type { CaseService } from './case.service.js';
import type { ServiceContext } from './context.js';


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
  /** A retina specialist and a member of staff of the first center, passwords shown once. */
  readonly reader: NewUser;
  readonly staff: NewUser;
  /** A pending case with two photographs in the first center, for the reader to report (serve only). */
  readonly demoCaseId: number | null;
}

function fail(field: string, rule: string, message: string): never {
  throw new ValidationError([{ field, rule, message }]);
}

/** Administration of organisations, centers, API clients and users (CLI and, later, the admin API). */
export class AdminService {
  constructor(
    private readonly ctx: ServiceContext,
    /** The demo case goes through the same intake as POST /cases. */
    private readonly cases: CaseService,
  ) {}

  private nowIso(): string {
    return this.ctx.now().toISOString();
  }

  async createOrganisation(name: string): Promise<OrganisationRecord> {
    const clean = name.trim();
    if (clean === '' || clean.length > 200) fail('name', 'length', 'must be 1 to 200 characters');
    const createdAt = this.nowIso();
    const id = await this.ctx.repos.tenancy.insertOrganisation(this.ctx.db, clean, createdAt);
    return { id, name: clean, createdAt };
  }

  async listOrganisations(): Promise<OrganisationRecord[]> {
    return this.ctx.repos.tenancy.listOrganisations(this.ctx.db);
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

  /**
   * A center of an organisation: its reports' language and the time zone
   * they are dated in (an IANA name Intl knows; without one, the center
   * follows the instance default, OPENRETINA_DEFAULT_TIMEZONE).
   */
  async createCenter(input: { name: string; language?: string; timezone?: string; organisationId?: number }): Promise<Center> {
    const issues: FieldIssue[] = [];
    const name = input.name.trim();
    if (name === '' || name.length > 200) issues.push({ field: 'name', rule: 'length', message: 'must be 1 to 200 characters' });
    const language = input.language ?? 'en';
    if (!(REPORT_LANGUAGES as readonly string[]).includes(language)) {
      issues.push({ field: 'language', rule: 'enum', message: `must be one of ${REPORT_LANGUAGES.join(', ')}` });
    }
    const timezone = input.timezone === undefined ? null : canonicalTimezone(input.timezone);
    if (input.timezone !== undefined && timezone === null) {
      issues.push({ field: 'timezone', rule: 'format', message: 'must be an IANA time zone name such as Europe/Madrid or UTC' });
    }
    if (issues.length > 0) throw new ValidationError(issues);
    const organisationId = await this.resolveOrganisation(input.organisationId);
    return this.center(await this.ctx.repos.tenancy.insertCenter(this.ctx.db, { organisationId, name, language, timezone }, this.nowIso()));
  }

  async listCenters(organisationId?: number): Promise<Center[]> {
    return (await this.ctx.repos.tenancy.listCenters(this.ctx.db, organisationId)).map((c) => this.center(c));
  }

  private center(stored: Parameters<typeof centerOf>[0]): Center {
    return centerOf(stored, this.ctx.config.defaultTimezone);
  }

  /** Checks that the centers exist and share one organisation, which it returns. */
  private async organisationOfCenters(centerIds: readonly number[]): Promise<number> {
    if (centerIds.length === 0) fail('centers', 'required', 'name at least one center');
    const unique = [...new Set(centerIds)];
    const centers = await this.ctx.repos.tenancy.findCentersByIds(this.ctx.db, unique);
    const missing = unique.filter((id) => !centers.some((c) => c.id === id));
    if (missing.length > 0) fail('centers', 'exists', `no center with id ${missing.join(', ')}`);
    const organisations = new Set(centers.map((c) => c.organisationId));
    if (organisations.size > 1) fail('centers', 'same_organisation', 'all centers must belong to one organisation');
    return centers[0]!.organisationId;
  }

  async createApiClient(input: { name: string; centerIds: readonly number[] }): Promise<NewApiClient> {
    const name = input.name.trim();
    if (name === '' || name.length > 200) fail('name', 'length', 'must be 1 to 200 characters');
    const centerIds = [...new Set(input.centerIds)];
    const organisationId = await this.organisationOfCenters(centerIds);
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

  async listApiClients(): Promise<ApiClientRecord[]> {
    return this.ctx.repos.apiClients.listApiClients(this.ctx.db);
  }

  /** A new secret for the client; the old one and every token issued with it stop working at once. */
  async rotateClientSecret(clientId: string): Promise<ClientSecret> {
    const secret = generateSecret('ors_');
    const { db, repos } = this.ctx;
    await db.transaction().execute(async (trx) => {
      const client = await repos.apiClients.findForAuthentication(trx, clientId);
      if (!client) fail('client_id', 'exists', `no API client ${clientId}`);
      await repos.apiClients.updateSecretHash(trx, clientId, hashSecret(secret), this.nowIso());
      await repos.apiClients.deleteTokensOfClient(trx, client.id);
    });
    return { clientId, clientSecret: secret };
  }

  async createUser(input: {
    email: string;
    role: string;
    name: string;
    password?: string;
    licenceNumber?: string;
    centerIds?: readonly number[];
    organisationId?: number;
  }): Promise<NewUser> {
    const issues: FieldIssue[] = [];
    const email = input.email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
      issues.push({ field: 'email', rule: 'format', message: 'must be an e-mail address' });
    }
    const role = input.role as UserRole;
    if (!USER_ROLES.includes(role)) issues.push({ field: 'role', rule: 'enum', message: `must be one of ${USER_ROLES.join(', ')}` });
    const name = input.name.trim();
    if (name === '' || name.length > 200) issues.push({ field: 'name', rule: 'length', message: 'must be 1 to 200 characters' });
    if (input.password !== undefined && input.password.length < 12) {
      issues.push({ field: 'password', rule: 'min_length', message: 'must be at least 12 characters' });
    }
    const licence = input.licenceNumber?.trim() || null;
    if (role === 'reader' && licence === null) {
      issues.push({ field: 'licence', rule: 'required', message: 'a reader signs reports and needs a licence number' });
    }
    const centerIds = [...new Set(input.centerIds ?? [])];
    if (role === 'staff' && centerIds.length === 0) issues.push({ field: 'centers', rule: 'required', message: 'staff work for at least one center' });
    if (issues.length > 0) throw new ValidationError(issues);
    if (await this.ctx.repos.users.emailExists(this.ctx.db, email)) fail('email', 'unique', 'a user with this e-mail exists');

    const organisationId = centerIds.length > 0 ? await this.organisationOfCenters(centerIds) : await this.resolveOrganisation(input.organisationId);
    const password = input.password ?? generateSecret().slice(0, 20);
    const id = await this.ctx.db.transaction().execute(async (trx) =>
      this.ctx.repos.users.insertUser(
        trx,
        { organisationId, email, passwordHash: await hashPassword(password, this.ctx.config.passwordHashCost), role, name, licenceNumber: licence, centerIds },
        this.nowIso(),
      ),
    );
    return { id, email, role, ...(input.password === undefined ? { password } : {}) };
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.ctx.repos.users.listUsers(this.ctx.db);
  }

  /**
   * On an empty database, a demo organisation with two centers and one API
   * client working for both, a reader and a member of staff, and (with
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
    // As if the demo camera software had sent it: the same intake path as POST /cases.
    const camera: ClientPrincipal = { kind: 'api_client', apiClientId: client.id, organisationId: organisation.id, tokenId: 0, activeCenterId: north.id, centerIds: client.centerIds };
    const demoCaseId = options.withCase ? await this.createDemoCase(camera) : null;
    return { organisation, centers: [north, south], client, reader, staff, demoCaseId };
  }

  /** A pending case with two synthetic fundus photographs (right and left eye). */
  private async createDemoCase(camera: ClientPrincipal): Promise<number> {
    const staging = this.cases.beginImageStaging();
    const [od, os] = await Promise.all([demoFundusJpeg('od'), demoFundusJpeg('os')]);
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
