import fs from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { type AuditAction, type AuditObject, CHAIN_BREAK_REASONS } from '../domain/audit.js';
import { DomainError, ValidationError } from '../domain/errors.js';
import { mapDomainError } from '../http/error-mapping.js';
import {
  presentAdminCenter,
  presentApiClient,
  presentAuditEntry,
  presentClientSecret,
  presentDicomNode,
  presentInboxStudy,
  presentErasure,
  presentNewApiClient,
  presentNewUser,
  presentOrganisation,
  presentPasswordReset,
  presentSigningSecret,
  presentUser,
} from '../http/presenters.js';
import { type Platform, openPlatform } from '../platform.js';
import { INSTALLATION } from '../services/admin.service.js';
import type { SecretOwner, SigningSecret } from '../services/callback.service.js';
import { backupSqlite } from '../storage/sqlite-backup.js';
import { generateOpenApiDocument } from './openapi.js';
import { serve, work } from './serve.js';

/** Where a CLI run writes and which environment its settings come from (the process's, unless told). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs one `openretina` command line (the arguments after the program name)
 * and returns its exit code: 0, 2 for refused input (validation, unknown
 * records, bad settings), 1 for the rest. It never exits the process itself,
 * so tests run commands in-process; `serve` and `worker` return once started
 * and keep running until a signal ends the process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportFailure(error, io);
  }
}

/** The option a refused field is given with on the command line, where it differs from the API's field. */
const CLI_OPTION_OF: Readonly<Record<string, string>> = { licence_number: 'licence', center_ids: 'centers', ae_title: 'ae-title', calling_ae_titles: 'calling-aes' };

function reportFailure(error: unknown, io: CliIo): number {
  // Commander has already printed its own message (bad arguments, help).
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof ValidationError) {
    const fields = error.issues.map((issue) => ({ ...issue, field: CLI_OPTION_OF[issue.field] ?? issue.field }));
    io.stderr(`${JSON.stringify({ error: error.code, message: error.message, fields }, null, 2)}\n`);
    return 2;
  }
  if (error instanceof DomainError || error instanceof ConfigError) {
    io.stderr(`${error.message}\n`);
    return 2;
  }
  io.stderr(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

/** A parser of comma-separated ids (commander calls it with the value and the previous one: the kind is bound here). */
function idsOf(what: string): (value: string) => number[] {
  return (value) => {
    const ids = value.split(',').map((s) => s.trim());
    if (ids.length === 0 || !ids.every((s) => /^[1-9][0-9]*$/.test(s))) {
      throw new InvalidArgumentError(`expected comma-separated ${what} ids, e.g. 1,2`);
    }
    return ids.map(Number);
  };
}

const idList = idsOf('center');
/** An address given on the command line: `\\n` (as a shell passes it) starts a new line; "" clears it. */
function addressOption(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value === '' ? null : value.replace(/\\n/g, '\n');
}

function positiveInt(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value)) throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
}

async function webhookSecret(p: Platform, owner: SecretOwner, rotate: boolean): Promise<SigningSecret> {
  return rotate ? p.services.callbacks.rotateSecret(owner) : { secret: await p.services.callbacks.currentSecret(owner) };
}

/** Whose signing secret it is, as an audit entry names it: the API client's, or the organisation's. */
function ownerObject(owner: SecretOwner): AuditObject {
  return owner.apiClientId === null ? { kind: 'organisation', id: owner.organisationId } : { kind: 'api_client', id: owner.apiClientId };
}

/** A fresh program per run: commander keeps parsed options on its command objects. */
function buildProgram(io: CliIo): Command {
  const config = () => loadConfig(io.env ?? process.env);

  /**
   * Runs an admin action against the configured database and prints its
   * result as JSON through the resource's presenter: the fields and casing
   * of the API.
   */
  const withPlatform = async <T>(action: (platform: Platform) => Promise<T>, present: (result: T) => unknown): Promise<void> => {
    const platform = await openPlatform(config());
    try {
      io.stdout(`${JSON.stringify(present(await action(platform)), null, 2)}\n`);
    } finally {
      await platform.close();
    }
  };
  const each =
    <T>(present: (item: T) => unknown) =>
    (items: readonly T[]) =>
      items.map(present);

  /**
   * An administrative action: run like `withPlatform`, and recorded in the
   * audit trail (actor `cli`) whatever its outcome, naming what it made or
   * changed. A failure to record is reported but fails nothing: the action
   * is done, and what it printed (a secret shown once) must not be lost.
   */
  const administer = <T>(
    action: AuditAction,
    run: (platform: Platform) => Promise<T>,
    objectOf: (result: T, platform: Platform) => AuditObject | Promise<AuditObject>,
    present: (result: T) => unknown,
  ): Promise<void> =>
    withPlatform(async (p) => {
      const record = (object: AuditObject | null, status: number) =>
        p.services.audit.recordAdministration(action, object, status).catch((error: unknown) => {
          io.stderr(`audit entry not recorded: ${error instanceof Error ? error.message : String(error)}\n`);
        });
      let result: T;
      try {
        result = await run(p);
      } catch (error) {
        // The status the same refusal has over HTTP.
        await record(null, error instanceof DomainError ? mapDomainError(error).status : 500);
        throw error;
      }
      await record(await objectOf(result, p), 200);
      return result;
    }, present);

  const program = new Command()
    .name('openretina')
    .description('Tele-retina screening platform. Settings come from OPENRETINA_* environment variables (see README).')
    .showHelpAfterError()
    // Inherited by every subcommand declared below: errors are thrown to runCli, output goes to io.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });

  program
    .command('serve')
    .description('start the API server (creates the demo organisation on an empty database)')
    .action(async () => {
      await serve(config());
    });

  program
    .command('worker')
    .description('run only the background workers (callback delivery), for deployments that scale them apart from the API')
    .action(async () => {
      await work(config());
    });

  program
    .command('openapi')
    .description('print the OpenAPI 3.1 document, or write it to a file')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (options: { out?: string }) => {
      const document = `${JSON.stringify(await generateOpenApiDocument(), null, 2)}\n`;
      if (options.out) await fs.writeFile(options.out, document);
      else io.stdout(document);
    });

  const organisations = program.command('organisations').description('organisations (tenants)');
  organisations
    .command('create')
    .requiredOption('--name <name>', 'organisation name')
    .action((o: { name: string }) =>
      administer('organisation.create', (p) => p.services.admin.createOrganisation(o.name), (org) => ({ kind: 'organisation', id: org.id }), presentOrganisation),
    );
  organisations.command('list').action(() => withPlatform((p) => p.services.admin.listOrganisations(), each(presentOrganisation)));
  organisations
    .command('rename')
    .argument('<organisation_id>', 'the organisation', positiveInt)
    .requiredOption('--name <name>', 'its new name')
    .action((id: number, o: { name: string }) =>
      administer('organisation.rename', (p) => p.services.admin.renameOrganisation(INSTALLATION, id, o.name), () => ({ kind: 'organisation', id }), presentOrganisation),
    );
  organisations
    .command('webhook-secret')
    .argument('<organisation_id>', 'the organisation', positiveInt)
    .option('--rotate', 'issue a new secret; the old one keeps signing for the grace period')
    .description("show (or rotate) the secret that signs callbacks of cases created by the organisation's people")
    .action((organisationId: number, o: { rotate?: boolean }) =>
      administer(
        o.rotate === true ? 'webhook_secret.rotate' : 'webhook_secret.read',
        (p) => webhookSecret(p, { organisationId, apiClientId: null }, o.rotate === true),
        () => ({ kind: 'organisation', id: organisationId }) as const,
        (secret) => ({ organisation_id: organisationId, ...presentSigningSecret(secret) }),
      ),
    );

  const centers = program.command('centers').description('centers (opticians, clinics) of an organisation');
  centers
    .command('create')
    .requiredOption('--name <name>', 'center name')
    .option('--language <code>', 'report language: en or es', 'en')
    .option('--timezone <zone>', 'IANA time zone its reports are dated in, e.g. Europe/Madrid (default: OPENRETINA_DEFAULT_TIMEZONE)')
    .option('--address <text>', 'printed on its reports; lines separated by \\n or new lines, at most 4')
    .option('--organisation <id>', 'organisation id (needed when there are several)', positiveInt)
    .action((o: { name: string; language: string; timezone?: string; address?: string; organisation?: number }) =>
      administer(
        'center.create',
        (p) =>
          p.services.admin.createCenter({ name: o.name, language: o.language, timezone: o.timezone, address: addressOption(o.address), organisationId: o.organisation }),
        (center) => ({ kind: 'center', id: center.id }),
        presentAdminCenter,
      ),
    );
  centers
    .command('list')
    .option('--organisation <id>', 'only this organisation', positiveInt)
    .action((o: { organisation?: number }) => withPlatform((p) => p.services.admin.listCenters(INSTALLATION, o.organisation), each(presentAdminCenter)));
  centers
    .command('update')
    .argument('<center_id>', 'the center', positiveInt)
    .option('--name <name>')
    .option('--language <code>', 'report language: en or es')
    .option('--timezone <zone>', 'IANA time zone; "" for the instance default')
    .option('--address <text>', 'printed on its reports; "" for none')
    .action((id: number, o: { name?: string; language?: string; timezone?: string; address?: string }) =>
      administer(
        'center.update',
        (p) =>
          p.services.admin.updateCenter(INSTALLATION, id, {
            name: o.name,
            language: o.language,
            timezone: o.timezone === '' ? null : o.timezone,
            address: addressOption(o.address),
          }),
        () => ({ kind: 'center', id }),
        presentAdminCenter,
      ),
    );

  const clients = program.command('clients').description('API clients (camera software, clinic systems)');
  clients
    .command('create')
    .requiredOption('--name <name>', 'what the client is')
    .requiredOption('--centers <ids>', 'comma-separated center ids it may work for; the first is its default', idList)
    .description('create an API client; prints its client_id and client_secret (shown only this once)')
    .action((o: { name: string; centers: number[] }) =>
      administer(
        'api_client.create',
        (p) => p.services.admin.createApiClient({ name: o.name, centerIds: o.centers }),
        (client) => ({ kind: 'api_client', id: client.id }),
        presentNewApiClient,
      ),
    );
  clients.command('list').action(() => withPlatform((p) => p.services.admin.listApiClients(), each(presentApiClient)));
  clients
    .command('rotate-secret')
    .argument('<client_id>', 'the client to rotate')
    .description('issue a new secret; the old one and its tokens stop working')
    .action((clientId: string) =>
      administer(
        'api_client.secret.rotate',
        (p) => p.services.admin.rotateClientSecret(clientId),
        async (_secret, p) => ownerObject(await p.services.callbacks.ownerOfClient(clientId)),
        presentClientSecret,
      ),
    );

  clients
    .command('revoke')
    .argument('<client_id>', 'the client to revoke')
    .description('for good: it gets no new token and its tokens stop working')
    .action((clientId: string) =>
      administer('api_client.revoke', (p) => p.services.admin.revokeApiClient(clientId), (client) => ({ kind: 'api_client', id: client.id }), presentApiClient),
    );
  clients
    .command('centers')
    .argument('<client_id>', 'the client')
    .requiredOption('--centers <ids>', 'every center it may use from now on; the first is its default', idList)
    .description('set the centers a client may use; its tokens active in a center it loses end')
    .action((clientId: string, o: { centers: number[] }) =>
      administer(
        'api_client.centers.set',
        (p) => p.services.admin.setClientCenters(clientId, o.centers),
        (client) => ({ kind: 'api_client', id: client.id }),
        presentApiClient,
      ),
    );

  clients
    .command('webhook-secret')
    .argument('<client_id>', 'the client')
    .option('--rotate', 'issue a new secret; the old one keeps signing for the grace period')
    .description('show (or rotate) the Standard Webhooks secret that signs the callbacks of cases this client creates')
    .action((clientId: string, o: { rotate?: boolean }) =>
      administer(
        o.rotate === true ? 'webhook_secret.rotate' : 'webhook_secret.read',
        async (p) => webhookSecret(p, await p.services.callbacks.ownerOfClient(clientId), o.rotate === true),
        async (_secret, p) => ownerObject(await p.services.callbacks.ownerOfClient(clientId)),
        (secret) => ({ client_id: clientId, ...presentSigningSecret(secret) }),
      ),
    );

  const users = program.command('users').description('people who log in: admin, reader, staff');
  users
    .command('create')
    .requiredOption('--email <email>')
    .requiredOption('--role <role>', 'admin, reader or staff')
    .requiredOption('--name <name>', 'full name (printed on reports for readers)')
    .option('--password <password>', 'at least 12 characters; generated and printed when omitted')
    .option('--licence <number>', 'professional licence number (readers)')
    .option('--centers <ids>', 'comma-separated center ids (staff)', idList)
    .option('--organisation <id>', 'organisation id (when not implied by --centers)', positiveInt)
    .action((o: { email: string; role: string; name: string; password?: string; licence?: string; centers?: number[]; organisation?: number }) =>
      administer(
        'user.create',
        (p) =>
          p.services.admin.createUser({
            email: o.email,
            role: o.role,
            name: o.name,
            password: o.password,
            licenceNumber: o.licence,
            centerIds: o.centers,
            organisationId: o.organisation,
          }),
        (user) => ({ kind: 'user', id: user.id }),
        presentNewUser,
      ),
    );
  users.command('list').action(() => withPlatform((p) => p.services.admin.listUsers(), each(presentUser)));
  users
    .command('update')
    .argument('<user_id>', 'the person', positiveInt)
    .option('--name <name>')
    .option('--role <role>', 'admin, reader or staff')
    .option('--licence <number>', 'professional licence number ("" for none)')
    .option('--centers <ids>', 'every center they work for from now on', idList)
    .option('--disable', 'they cannot log in; their sessions end')
    .option('--enable', 'they may log in again')
    .action((id: number, o: { name?: string; role?: string; licence?: string; centers?: number[]; disable?: boolean; enable?: boolean }) =>
      administer(
        'user.update',
        (p) =>
          p.services.admin.updateUser(INSTALLATION, id, {
            name: o.name,
            role: o.role,
            licenceNumber: o.licence === '' ? null : o.licence,
            centerIds: o.centers,
            disabled: o.disable === true ? true : o.enable === true ? false : undefined,
          }),
        () => ({ kind: 'user', id }),
        presentUser,
      ),
    );
  users
    .command('reset-password')
    .argument('<user_id>', 'the person', positiveInt)
    .option('--password <password>', 'at least 12 characters; generated and printed when omitted')
    .description('a new password; their sessions end')
    .action((id: number, o: { password?: string }) =>
      administer('user.password.reset', (p) => p.services.admin.resetPassword(INSTALLATION, id, o.password), () => ({ kind: 'user', id }), presentPasswordReset),
    );

  program
    .command('erase')
    .description(
      "erase a patient of a center (GDPR art. 17): their cases, images, previews, reports, callbacks, from the database and the blob store; the audit trail keeps the case ids and a keyed hash of the history number. Not undoable",
    )
    .requiredOption('--center <id>', 'the center', positiveInt)
    .option('--history-number <number>', 'every case of the center with this history number')
    .option('--case-ids <ids>', 'or these cases of the center (comma-separated)', idsOf('case'))
    .action((o: { center: number; historyNumber?: string; caseIds?: number[] }) =>
      // The service records the erasure in the audit trail, in the erasure's own transaction.
      withPlatform((p) => p.services.erasure.erase({ kind: 'cli' }, { centerId: o.center, historyNumber: o.historyNumber, caseIds: o.caseIds }), presentErasure),
    );

  program
    .command('backup')
    .description('copy the SQLite database online, while the server runs (docs/deploy.md: back up the blobs and secret.key too); PostgreSQL: use pg_dump')
    .requiredOption('--out <file>', 'where the copy goes')
    .action(async (o: { out: string }) => {
      const { databaseUrl } = config();
      if (!databaseUrl.startsWith('sqlite:')) throw new ConfigError('openretina backup copies a SQLite database; for PostgreSQL use pg_dump (docs/deploy.md)');
      const { bytes } = await backupSqlite(databaseUrl, o.out);
      io.stdout(`${JSON.stringify({ database: o.out, bytes }, null, 2)}\n`);
    });

  const dicom = program
    .command('dicom')
    .description("DICOM network intake (OPENRETINA_DICOM_PORT): centers' AE titles, and the inbox of studies not yet made into cases");
  dicom
    .command('set-center')
    .description('give a center the AE title cameras send to, and the calling AE titles allowed to send (any other is refused)')
    .argument('<center_id>', 'the center', positiveInt)
    .requiredOption('--ae-title <title>', 'its AE title (unique, at most 16 characters); "" takes the center off the network')
    .option('--calling-aes <titles>', 'comma-separated calling AE titles that may send to it (the cameras\' or archives\' own AE titles)')
    .action((id: number, o: { aeTitle: string; callingAes?: string }) =>
      administer(
        'center.update',
        (p) => p.services.dicomIntake.setNode(id, { aeTitle: o.aeTitle, callingAeTitles: o.callingAes === undefined ? [] : o.callingAes.split(',').filter((t) => t.trim() !== '') }),
        () => ({ kind: 'center', id }),
        (node) => (node === null ? { center_id: id, ae_title: null, calling_ae_titles: [] } : presentDicomNode(node)),
      ),
    );
  dicom
    .command('centers')
    .description('the centers that take DICOM, with their AE titles')
    .action(() => withPlatform((p) => p.services.dicomIntake.listNodes(), each(presentDicomNode)));
  dicom
    .command('inbox')
    .description('studies received and not yet cases: pending (waiting to be quiet) or failed, with the reason')
    .action(() => withPlatform((p) => p.services.dicomIntake.listStudies(), each(presentInboxStudy)));
  dicom
    .command('discard')
    .description('remove a study from the inbox, its files with it (one that failed and will not be resent)')
    .argument('<study_id>', 'the study (openretina dicom inbox)', positiveInt)
    .action((id: number) =>
      administer(
        'dicom_study.discard',
        (p) => p.services.dicomIntake.discardStudy(id),
        (result) => ({ kind: 'center', id: result.centerId }),
        (result) => ({ discarded: id, files: result.files }),
      ),
    );

  const audit = program.command('audit').description('the audit trail: who read or changed what (README, Design)');
  audit
    .command('verify')
    .description('walk the hash chain: prints "ok" and the number of entries, or the first broken entry (exit code 2)')
    .action(async () => {
      const platform = await openPlatform(config());
      let verdict;
      try {
        verdict = await platform.services.audit.verify();
      } finally {
        await platform.close();
      }
      if (verdict.ok) {
        io.stdout(`ok: ${verdict.count} entries\n`);
        return;
      }
      const { broken } = verdict;
      io.stdout(`broken at entry ${broken.seq}: ${CHAIN_BREAK_REASONS[broken.reason]}; the ${verdict.count} entries before it verify\n`);
      if (broken.entry) io.stdout(`${JSON.stringify(presentAuditEntry(broken.entry), null, 2)}\n`);
      throw new CommanderError(2, 'openretina.audit_broken', 'the audit chain is broken');
    });

  return program;
}
