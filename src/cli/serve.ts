import pino from 'pino';
import type { Config } from '../config.js';
import { buildApp } from '../http/app.js';
import { presentAdminCenter, presentNewApiClient, presentNewUser } from '../http/presenters.js';
import { type Platform, openPlatform } from '../platform.js';
import { startCallbackWorker } from '../workers/callback-workers.js';
import { startDicomStudyWorker } from '../workers/dicom-study.worker.js';
import type { WorkerLog } from '../workers/job-loop.js';
import { startPreviewWorker } from '../workers/preview.worker.js';
import { releaseMemoryWhenIdle } from './idle-memory.js';

/** `openretina serve`: open storage, seed the demo on an empty database, listen, close gracefully. */
export async function serve(config: Config): Promise<void> {
  const startedAt = new Date(performance.timeOrigin);
  // Seeding under the start-up lock: of processes starting together on an empty database, one seeds.
  const platform = await openPlatform(config, config.seedDemo ? { seedDemo: { withCase: true } } : {});
  const { demo } = platform;
  const app = await buildApp(platform);
  const address = await app.listen({ host: config.host, port: config.port });

  if (demo) {
    // Through the presenters of `openretina clients create` and `users create`: the same fields.
    const client = presentNewApiClient(demo.client);
    const [reader, staff, admin] = [demo.reader, demo.staff, demo.admin].map(presentNewUser) as [
      ReturnType<typeof presentNewUser>,
      ReturnType<typeof presentNewUser>,
      ReturnType<typeof presentNewUser>,
    ];
    const lines = [
      '',
      '  openretina: created the demo organisation on this empty database.',
      `  Centers: ${demo.centers.map(presentAdminCenter).map((c) => `${c.id} "${c.name}"`).join(', ')}`,
      `  API client (works for both centers):`,
      `    client_id:     ${client.client_id}`,
      `    client_secret: ${client.client_secret}`,
      `  People (POST /auth/login):`,
      `    reader ${reader.email}  password: ${reader.password ?? ''}`,
      `    staff  ${staff.email}  password: ${staff.password ?? ''}`,
      `    admin  ${admin.email}  password: ${admin.password ?? ''}`,
      `  Web app: ${address}/app/ (demo case #${demo.demoCaseId ?? '?'} is waiting for the reader)`,
      '  Secrets and passwords are stored only as hashes and will not be shown again.',
      `  Try: curl --data "client_id=${client.client_id}&client_secret=${client.client_secret}&grant_type=client_credentials" ${address}/authorize`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  process.stdout.write(`openretina listening on ${address} (web app: ${address}/app/, API reference: ${address}/docs)\n`);
  // The DICOM network intake is off unless OPENRETINA_DICOM_PORT is set.
  // Loaded only then: its DICOM library holds about 10 MB that a process without it never needs.
  const dicom = config.dicom.port === null ? null : await (await import('../dimse/receiver.js')).startDicomReceiver(platform, app.log);
  if (dicom) process.stdout.write(`openretina DICOM receiver listening on ${config.dicom.host}:${dicom.port} (C-STORE to a center's AE title)\n`);

  const idleMemory =
    config.idleMemorySeconds > 0
      ? releaseMemoryWhenIdle(app.server, config.idleMemorySeconds * 1000, (released) =>
          app.log.debug(
            { rssBeforeMB: mb(released.rssBefore), heapBeforeMB: mb(released.heapBefore), heapAfterMB: mb(released.heapAfter), ms: Math.round(released.ms) },
            'idle: memory returned',
          ),
        )
      : null;
  platform.housekeeping.start(app.log);
  sweepLeftovers(platform, startedAt, app.log);
  // API-only processes (OPENRETINA_WORKERS=false) leave the background work to `openretina worker` processes.
  const stopWorkers = config.runWorkers ? startWorkers(platform, app.log) : async () => {};

  exitOnSignal(app.log, 'shutting down', config.shutdownTimeoutMs, async () => {
    idleMemory?.stop();
    void platform.housekeeping.stop();
    // No new connections; requests and C-STOREs under way (an upload half sent) finish, then the jobs under way.
    await Promise.all([app.close(), dicom?.close()]);
    await stopWorkers();
    await platform.close();
  }, () => {
    app.server.closeAllConnections();
    dicom?.abort();
  });
}

/** `openretina worker`: the background workers alone, until SIGTERM or SIGINT. */
export async function work(config: Config): Promise<void> {
  const startedAt = new Date(performance.timeOrigin);
  const platform = await openPlatform(config);
  const log = pino({ level: config.logLevel });
  const stopWorkers = startWorkers(platform, log);
  sweepLeftovers(platform, startedAt, log);
  log.info(config.dicom.port === null ? 'openretina worker started (callback delivery, image previews)' : 'openretina worker started (callback delivery, image previews, DICOM studies)');
  exitOnSignal(log, 'stopping workers', config.shutdownTimeoutMs, async () => {
    await stopWorkers();
    await platform.close();
  });
}

/**
 * Once, in the background while the process already serves: the temporary
 * files and unreferenced blobs an earlier process left (a crash mid-upload),
 * all of those last modified before this process started, rather than an hour
 * later. Right while this is the only process writing to the blob store;
 * `OPENRETINA_STARTUP_SWEEP=false` where several share it.
 */
function sweepLeftovers(platform: Platform, startedAt: Date, log: WorkerLog): void {
  if (!platform.config.startupSweep) {
    log.info({}, 'start-up sweep off (OPENRETINA_STARTUP_SWEEP=false): what a crash left waits for the hourly sweep');
    return;
  }
  void platform.housekeeping.sweepLeftovers(startedAt, log).then(
    (removed) => log.info({ ...removed, startedAt: startedAt.toISOString() }, 'start-up sweep done'),
    (error: unknown) => log.error({ err: error }, 'start-up sweep failed'),
  );
}

/** Every background worker of a process; the returned function stops them, letting work under way finish. */
function startWorkers(platform: Platform, log: WorkerLog): () => Promise<void> {
  const stops = [startCallbackWorker(platform, log), startPreviewWorker(platform, log)];
  // Quiet DICOM studies become cases where the intake is on (the setting must be given to worker processes too).
  if (platform.config.dicom.port !== null) stops.push(startDicomStudyWorker(platform, log));
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}

/**
 * On SIGTERM or SIGINT (once, whichever comes first): log, close down, exit 0.
 * What is under way gets `deadlineMs` to finish; past it, `force` cuts the
 * connections still open and the process exits 1, so an orchestrator's own
 * deadline never has to kill it mid-write.
 */
function exitOnSignal(log: WorkerLog, message: string, deadlineMs: number, close: () => Promise<void>, force: () => void = () => {}): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal, deadlineMs }, message);
    const deadline = setTimeout(() => {
      log.error({ deadlineMs }, 'shutdown deadline passed: closing what is still open');
      force();
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    await close();
    clearTimeout(deadline);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}
