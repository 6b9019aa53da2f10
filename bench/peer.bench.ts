/**
 * Peer figure (`npm run bench:peer`): images stored per second by Orthanc
 * (Debian's `orthanc`, /usr/sbin/Orthanc), receiving the intake benchmark's
 * two 15-megapixel fundus photographs as DICOM through `POST /instances`,
 * against ours receiving the same .dcm files through `POST /cases` (one per
 * request, as Orthanc) and the same photographs as JPEG (two per request),
 * from the same number of keep-alive clients, in alternating rounds with
 * `sync` between them (bench/lib/load.ts), after one unmeasured round each.
 *
 * Orthanc is started here on loopback with its own temporary folder and JSON
 * configuration: a free HTTP port, its DICOM server off, no authentication,
 * no plugins, storage uncompressed. The JPEGs become DICOM once, with dcmtk's
 * `img2dcm` (Secondary Capture, the JPEG embedded as it is, so both servers
 * store the same bytes); every request then carries a SOP Instance UID of its
 * own (same length, patched in place), because Orthanc answers a repeat
 * `AlreadyStored` without storing it.
 *
 * Ours is `serve` with its background workers off, as in the intake figure
 * (the request path; previews are made later).
 *
 *   npm run bench:peer [-- --quick] [--clients 16] [--rounds 2] [--window 5] [--out file] [--no-build] [--profile]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuild } from './lib/build.js';
import { type FigureRow, num } from './lib/figure.js';
import { type FundusImage, INTAKE_FIELDS, buildMultipartBody, loadFundusImages } from './lib/fixtures.js';
import { HOST, httpCall } from './lib/http.js';
import { type PhaseResult, type RoundResult, type Target, runRound, sendOnce, summarizeRounds } from './lib/load.js';
import { type Ours, startOurs } from './lib/ours.js';
import { type CpuSnapshot, type ServerProcess, cpuSpent, freePort, readCpuSnapshot, startServer, stopServer } from './lib/proc.js';
import { writeResult } from './lib/result.js';
import { type Spent, formatSpent, perRequest } from './lib/spent.js';
import { mainThreadProfile, monotonicMicros, profileWindow, readCpuProfile, summarizeProfile } from './lib/cpuprofile.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ORTHANC = '/usr/sbin/Orthanc';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    clients: { type: 'string', default: '16' },
    rounds: { type: 'string' },
    window: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string' },
    // After the figures: ours once more under --cpu-prof, one window per way in, and where an image's main-thread time goes.
    profile: { type: 'boolean', default: false },
  },
  strict: true,
});
const clients = Number(args.clients);
const rounds = args.rounds !== undefined ? Number(args.rounds) : args.quick ? 1 : 2;
const windowMs = args.window !== undefined ? Number(args.window) * 1000 : args.quick ? 4000 : 5000;
if (!Number.isInteger(rounds) || rounds < 1 || !(windowMs > 0)) throw new Error('invalid --rounds or --window');
const warmupMs = args.quick ? 1000 : 1500;
const warmupRoundMs = args.quick ? 1000 : 3000;
const outFile = path.resolve(args.out ?? path.join(ROOT, '.bench', 'peer-result.json'));
const log = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** The photographs as DICOM files (img2dcm), made once next to the JPEG fixtures. */
async function dicomOf(images: readonly FundusImage[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const image of images) {
    const file = image.file.replace(/\.jpg$/, '.dcm');
    try {
      out.push(await fs.readFile(file));
      continue;
    } catch {
      // not made yet
    }
    const made = spawnSync('img2dcm', ['-k', `PatientName=Bench^${image.name}`, '-k', 'PatientID=BENCH-1', image.file, `${file}.tmp`], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`img2dcm failed: ${made.stderr}`);
    await fs.rename(`${file}.tmp`, file);
    out.push(await fs.readFile(file));
  }
  return out;
}

/** Each call: one of the files with a SOP Instance UID never sent before, same length, patched in place. */
function freshInstances(files: readonly Buffer[]): () => readonly Buffer[] {
  const prepared = files.map((file) => {
    // (0008,0018) SOPInstanceUID, explicit VR "UI": tag, VR, 2-byte length, then the value.
    const at = file.indexOf(Buffer.from([0x08, 0x00, 0x18, 0x00, 0x55, 0x49]));
    if (at < 0) throw new Error('no SOP Instance UID in the DICOM file');
    const length = file.readUInt16LE(at + 6);
    const uid = file.subarray(at + 8, at + 8 + length).toString('latin1').replace(/\0$/, '');
    const places: number[] = [];
    for (let i = file.indexOf(uid); i >= 0; i = file.indexOf(uid, i + 1)) places.push(i);
    return { file, uid, places };
  });
  let n = 0;
  return () => {
    const { file, uid, places } = prepared[n % prepared.length]!;
    n++;
    // The last 8 digits of the UID become the counter: unique for 10^8 requests. The file's bytes around
    // each place are sent as they are (subarrays), with the new UID between them: no copy of the file.
    const unique = Buffer.from(`${uid.slice(0, -8)}${String(n).padStart(8, '0')}`, 'latin1');
    const pieces: Buffer[] = [];
    let from = 0;
    for (const at of places) {
      pieces.push(file.subarray(from, at), unique);
      from = at + unique.length;
    }
    pieces.push(file.subarray(from));
    return pieces;
  };
}

async function startOrthanc(dir: string): Promise<ServerProcess> {
  const port = await freePort(HOST);
  const dicomPort = await freePort(HOST);
  const config = {
    Name: 'openretina-bench',
    StorageDirectory: path.join(dir, 'storage'),
    IndexDirectory: path.join(dir, 'index'),
    HttpPort: port,
    DicomServerEnabled: false,
    DicomPort: dicomPort,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    Plugins: [],
    StorageCompression: false,
    // Its default closes a keep-alive connection after 1 s idle, which the clients see as EPIPE between rounds.
    KeepAlive: true,
    KeepAliveTimeout: 120,
  };
  const file = path.join(dir, 'orthanc.json');
  await fs.writeFile(file, JSON.stringify(config, null, 2));
  const server = await startServer({ name: 'orthanc', command: ORTHANC, cwd: dir, port, args: [file], env: { ...process.env }, ready: /$/ });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await httpCall(port, 'GET', '/system', {}).catch(() => null);
    if (up?.status === 200) return server;
    if (server.exited() || Date.now() > deadline) throw new Error(`Orthanc did not start:\n${server.stderr().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Ours through DICOM intake (README "DICOM"): `POST /cases` with the intake
 * fields and one image part holding a .dcm file, the very bytes Orthanc is
 * sent (`freshInstances`, alternating the two eyes), so one image per
 * request as for Orthanc. Ours follows the file as it streams, keeps it byte
 * for byte, and its JPEG frame (one fragment) is the image as a range of it.
 */
function oursThroughDicom(ours: Ours, dicom: readonly Buffer[], instances: () => readonly Buffer[]): Target {
  const boundary = '----openretina-bench-dicom-5be81c07';
  const fields = INTAKE_FIELDS.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('');
  const head = Buffer.from(`${fields}--${boundary}\r\nContent-Disposition: form-data; name="images[]"; filename="fundus.dcm"\r\nContent-Type: application/dicom\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  // A fresh UID is digits and dots: only the files themselves could hold the boundary.
  if (dicom.some((file) => file.includes(boundary))) throw new Error('the multipart boundary occurs inside a DICOM file');
  const nextBody = (): readonly Buffer[] => [head, ...instances(), tail];
  return {
    host: HOST,
    port: ours.port,
    path: '/cases',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${ours.clientToken}` },
    body: Buffer.concat(nextBody()),
    nextBody,
    expectStatus: 201,
  };
}

/** CPU seconds of a server process (and of its main thread) and the machine's ticks, summed over measured windows. */
interface WindowCpu {
  process: number;
  mainThread: number;
  machineBusy: number;
  machineTotal: number;
}

/** `runRound`'s window hooks that add the window's CPU to `into`. */
function cpuOfWindows(pid: number, into: WindowCpu): { onWindowStart: () => void; onWindowEnd: () => void } {
  let from: CpuSnapshot | null = null;
  return {
    onWindowStart: () => {
      from = readCpuSnapshot(pid);
    },
    onWindowEnd: () => {
      if (from === null) return;
      const spent = cpuSpent(from, readCpuSnapshot(pid));
      into.process += spent.processSeconds ?? 0;
      into.mainThread += spent.mainThreadSeconds ?? 0;
      into.machineBusy += spent.machine?.busy ?? 0;
      into.machineTotal += spent.machine?.total ?? 0;
    },
  };
}

/**
 * Ours under --cpu-prof (workers off, a data dir of its own), one window per way in after a warm-up:
 * main-thread time per image, from each window's samples alone.
 */
async function profileOurs(work: string, ways: Readonly<Record<string, { make: (ours: Ours) => Target; imagesPerRequest: number }>>): Promise<Record<string, Spent>> {
  const profDir = path.join(ROOT, '.bench', 'prof', `peer-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const ours = await startOurs({ root: ROOT, dataDir: path.join(work, 'profiled'), env: { OPENRETINA_WORKERS: 'false' }, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] });
  const windows: { name: string; from: number; to: number; images: number }[] = [];
  try {
    for (const [name, way] of Object.entries(ways)) {
      const target = way.make(ours);
      spawnSync('sync');
      await runRound(target, { concurrency: clients, warmupMs, durationMs: 500, maxRequests: 100_000 });
      const from = monotonicMicros();
      const r = await runRound(target, { concurrency: clients, warmupMs: 0, durationMs: windowMs, maxRequests: 100_000 });
      windows.push({ name, from, to: monotonicMicros(), images: r.ok * way.imagesPerRequest });
    }
  } finally {
    await stopServer(ours.server);
  }
  const file = await mainThreadProfile(profDir, ours.server.pid);
  if (file === null) throw new Error(`no main-thread profile in ${profDir}`);
  const profile = await readCpuProfile(file);
  return Object.fromEntries(windows.map((w) => [w.name, perRequest(summarizeProfile(profileWindow(profile, w.from, w.to), file, ROOT, 400), w.images)]));
}

async function main(): Promise<number> {
  ensureBuild(ROOT, { skip: args['no-build'], log });
  const images = await loadFundusImages(path.join(ROOT, '.bench', 'fixtures'), log);
  const dicom = await dicomOf(images);
  const multipart = buildMultipartBody(images);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-peer-bench-'));
  let ours: Ours | null = null;
  let orthanc: ServerProcess | null = null;
  try {
    ours = await startOurs({ root: ROOT, dataDir: path.join(work, 'data'), env: { OPENRETINA_WORKERS: 'false' } });
    await fs.mkdir(path.join(work, 'orthanc'));
    orthanc = await startOrthanc(path.join(work, 'orthanc'));
    const instances = freshInstances(dicom);
    const targets: Record<string, { target: Target; imagesPerRequest: number; bytes: number }> = {
      orthanc: {
        target: { host: HOST, port: orthanc.port, path: '/instances', headers: { 'content-type': 'application/dicom' }, body: dicom[0]!, nextBody: instances, expectStatus: 200 },
        imagesPerRequest: 1,
        bytes: dicom.reduce((s, d) => s + d.length, 0) / dicom.length,
      },
      jpeg: {
        target: { host: HOST, port: ours.port, path: '/cases', headers: { 'content-type': multipart.contentType, authorization: `Bearer ${ours.clientToken}` }, body: multipart.body, expectStatus: 201 },
        imagesPerRequest: images.length,
        bytes: multipart.body.length,
      },
    };
    targets.dicom = { target: oursThroughDicom(ours, dicom, instances), imagesPerRequest: 1, bytes: targets.orthanc!.bytes };
    for (const [name, t] of Object.entries(targets)) {
      const answer = await sendOnce(t.target);
      if (answer.status !== t.target.expectStatus) throw new Error(`check: ${name} answered ${String(answer.status)} ${answer.error ?? answer.text.slice(0, 300)}`);
    }
    log(`DICOM: ${dicom.map((d) => d.length).join(', ')} bytes; JPEG body ${multipart.body.length} bytes; ${clients} clients, ${rounds} round(s) of ${windowMs / 1000} s`);

    const names = Object.keys(targets);
    // One unmeasured round each first: Orthanc's first seconds after its start (its index, its caches) ran at
    // half its later rate in some runs (65 against 130 images/s), and ours has its JIT to warm.
    for (const name of names) {
      spawnSync('sync');
      await runRound(targets[name]!.target, { concurrency: clients, warmupMs: 0, durationMs: warmupRoundMs, maxRequests: 100_000 });
    }
    const measured: Record<string, RoundResult[]> = Object.fromEntries(names.map((n) => [n, []]));
    const pids: Record<string, number> = { orthanc: orthanc.pid, jpeg: ours.server.pid, dicom: ours.server.pid };
    const cpu: Record<string, WindowCpu> = Object.fromEntries(names.map((n) => [n, { process: 0, mainThread: 0, machineBusy: 0, machineTotal: 0 }]));
    /** Seconds `sync` took right after each target's windows: its write-back, counted in the line's note. */
    const writeBackSeconds: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        spawnSync('sync');
        const r = await runRound(targets[name]!.target, { concurrency: clients, warmupMs, durationMs: windowMs, maxRequests: 100_000, ...cpuOfWindows(pids[name]!, cpu[name]!) });
        // What the window left unwritten: ours flushes each file (and its directory) before answering, Orthanc does not.
        const syncStarted = performance.now();
        spawnSync('sync');
        const sync = (performance.now() - syncStarted) / 1000;
        writeBackSeconds[name]! += sync;
        measured[name]!.push(r);
        const rate = (r.ok * targets[name]!.imagesPerRequest) / Math.max(0.001, r.seconds);
        log(`  round ${round + 1} ${name.padEnd(7)}: ${rate.toFixed(1)} images/s (${r.ok} requests, ${r.failures} failed), then sync ${(1000 * sync).toFixed(0)} ms`);
        for (const failure of r.failureSamples) log(`      failure: ${String(failure.status)} ${failure.message}`);
      }
    }
    const phases: Record<string, PhaseResult> = Object.fromEntries(names.map((n) => [n, summarizeRounds(measured[n]!, targets[n]!.bytes)]));
    const imagesPerSecond = (name: string): number => phases[name]!.requestsPerSecond * targets[name]!.imagesPerRequest;
    // Ours must answer every request; Orthanc drops about one connection per client at 16 (EPIPE, retried after 50 ms), which only costs it time.
    const failures = names.filter((n) => n !== 'orthanc').reduce((s, n) => s + phases[n]!.failures, 0);
    const peer = imagesPerSecond('orthanc');
    // Where the machine's two cores went, per image stored: the server (and its main thread), the load generator.
    const cpuNote = (name: string): string => {
      const images = phases[name]!.ok * targets[name]!.imagesPerRequest;
      const ms = (seconds: number): string => num((1000 * seconds) / Math.max(1, images));
      const c = cpu[name]!;
      const main = name === 'orthanc' ? '' : ` (main thread ${ms(c.mainThread)})`;
      return `${ms(c.process)} ms of CPU per image${main}, load generator ${ms(phases[name]!.clientCpuSeconds)}, machine ${num((100 * c.machineBusy) / Math.max(1, c.machineTotal))} % busy`;
    };
    const jpeg = imagesPerSecond('jpeg');
    const durable = (name: string): number => (phases[name]!.ok * targets[name]!.imagesPerRequest) / Math.max(0.001, phases[name]!.seconds + writeBackSeconds[name]!);
    const writeBackNote = (name: string): string =>
      `with write-back counted (each window plus the sync after it): ${num(durable(name))} against Orthanc's ${num(durable('orthanc'))} images/s (${(durable(name) / Math.max(0.001, durable('orthanc'))).toFixed(2)} ×; sync ${num((1000 * writeBackSeconds[name]!) / rounds)} ms per round against Orthanc's ${num((1000 * writeBackSeconds.orthanc!) / rounds)})`;
    const rows: FigureRow[] = [
      {
        figure: 'peer',
        measure: `images/s, ours via JPEG POST /cases (2 per request), ${clients} clients`,
        ours: num(jpeg),
        baseline: `${num(peer)} Orthanc POST /instances`,
        ratio: jpeg / Math.max(0.001, peer),
        target: '≥ 1 ×',
        met: failures === 0 && jpeg >= peer,
        note: `p50 ${num(phases.jpeg!.latencyMs.p50)} ms per 2-image request against ${num(phases.orthanc!.latencyMs.p50)} ms per Orthanc instance; Orthanc dropped ${phases.orthanc!.failures} connections (retried); ours ${cpuNote('jpeg')}; Orthanc ${cpuNote('orthanc')}; ${writeBackNote('jpeg')}`,
      },
      {
        figure: 'peer',
        measure: `images/s, ours via DICOM POST /cases (1 .dcm per request, as Orthanc), ${clients} clients`,
        ours: num(imagesPerSecond('dicom')),
        baseline: `${num(peer)} Orthanc POST /instances`,
        ratio: imagesPerSecond('dicom') / Math.max(0.001, peer),
        target: '≥ 1 ×',
        met: failures === 0 && imagesPerSecond('dicom') >= peer,
        note: `p50 ${num(phases.dicom!.latencyMs.p50)} ms per 1-image request against ${num(phases.orthanc!.latencyMs.p50)} ms per Orthanc instance; the same .dcm files; ours ${cpuNote('dicom')}; Orthanc ${cpuNote('orthanc')}; ${writeBackNote('dicom')}`,
      },
    ];
    let profile: Record<string, Spent> | null = null;
    if (args.profile) {
      await stopServer(ours.server);
      const instancesAgain = freshInstances(dicom);
      profile = await profileOurs(work, {
        jpeg: { make: (o) => ({ ...targets.jpeg!.target, port: o.port, headers: { ...targets.jpeg!.target.headers, authorization: `Bearer ${o.clientToken}` } }), imagesPerRequest: images.length },
        dicom: { make: (o) => oursThroughDicom(o, dicom, instancesAgain), imagesPerRequest: 1 },
      });
      for (const [name, spent] of Object.entries(profile)) log(formatSpent(`ours via ${name}, per image`, spent));
    }
    await writeResult(outFile, { rows, clients, rounds, windowMs, cpu, writeBackSeconds, profile, orthanc: { version: spawnSync(ORTHANC, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] }, phases });
    return failures > 0 ? 1 : 0;
  } finally {
    if (orthanc && !orthanc.exited()) await stopServer(orthanc);
    if (ours && !ours.server.exited()) await stopServer(ours.server);
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:peer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
