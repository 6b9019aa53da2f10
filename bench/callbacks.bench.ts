/**
 * Callbacks figure (`npm run bench:callbacks`): deliveries per second from
 * our callback worker to a local receiver (bench/callback-receiver.ts, its
 * own process, answering 204 at once), against a bare loop in this process
 * that POSTs the same forms, signed the same way, to the same receiver with
 * as many in flight as the worker sends at once (OPENRETINA_CALLBACK_CONCURRENCY,
 * 8) over keep-alive connections.
 *
 * Ours is `serve` with its workers on (as `npm start`), OPENRETINA_CALLBACK_ALLOW
 * admitting 127.0.0.1. One case names the receiver as its callback_url; the
 * outbox rows are then written straight into the database in one
 * transaction (what a burst of signatures leaves behind: one row per event,
 * payloads made by the domain's callbackPayload), and the worker finds them
 * at its next poll (50 ms here). Rates run from the first arrival to the last, at the
 * receiver, for both senders; rounds alternate, after one unmeasured round each.
 *
 *   npm run bench:callbacks [-- --quick] [--out file] [--no-build]
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { callbackPayload } from '../src/domain/callback.js';
import { signWebhook } from '../src/domain/webhook-signature.js';
import { ensureBuild } from './lib/build.js';
import { ROOT, type FigureRow, num, simpleFigureScript } from './lib/figure.js';
import { buildMultipartBody } from './lib/fixtures.js';
import { HOST, field, httpCall, parseJson } from './lib/http.js';
import { type Ours, call, startOurs } from './lib/ours.js';
import { type CpuSnapshot, type ServerProcess, cpuSpent, freePort, readCpuSeconds, readCpuSnapshot, readWriteBytes, startServer, stopServer } from './lib/proc.js';
import { writeResult } from './lib/result.js';

const TARGET = 0.5;
const CONCURRENCY = 8;

const { args, outFile, log } = simpleFigureScript('callbacks');
const perRound = args.quick ? 300 : 4000;
/** Unmeasured deliveries of each sender first: both keep getting faster over the first thousands (the code's compilation, the connections). */
const warmUpCount = args.quick ? 100 : 2000;
const rounds = args.quick ? 1 : 2;

interface Stats {
  readonly count: number;
  readonly first: number;
  readonly last: number;
}

async function stats(port: number): Promise<Stats> {
  return parseJson((await httpCall(port, 'GET', '/stats', {})).text) as Stats;
}

async function waitFor(port: number, count: number, timeoutMs: number): Promise<Stats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await stats(port);
    if (s.count >= count) return s;
    if (Date.now() > deadline) throw new Error(`the receiver got ${s.count} of ${count} callbacks in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits (up to 30 s) until the server process has spent under 20 ms of CPU
 * over half a second: after start-up its preview worker analyses the demo
 * case's images, and that CPU would otherwise be counted per delivery.
 */
async function waitUntilQuiet(pid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  const busy = (): number => {
    const t = readCpuSeconds(pid);
    return t ? t.user + t.system : 0;
  };
  while (Date.now() < deadline) {
    const before = busy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (busy() - before < 0.02) return;
  }
}

/** Deliveries per second between the first and the last arrival (the first marks the start). */
const rateOf = (s: Stats): number => (s.count - 1) / Math.max(1e-6, (s.last - s.first) / 1e6);

interface Outbox {
  readonly caseId: number;
  readonly url: string;
  readonly payloads: readonly string[];
}

/** `count` pending deliveries, due now, in one transaction: the outbox a burst of reported cases leaves. */
function fillOutbox(file: string, outbox: Outbox): void {
  const sqlite = new SQLite(file);
  try {
    sqlite.pragma('busy_timeout = 5000');
    const now = new Date().toISOString();
    const insert = sqlite.prepare(
      `insert into callback_deliveries (case_id, webhook_id, event, url, payload, state, attempts, next_attempt_at, locked_until, lease_token, last_error, created_at, finished_at)
       values (?, ?, 'case.reported', ?, ?, 'pending', 0, ?, null, null, null, ?, null)`,
    );
    sqlite.transaction(() => {
      for (const payload of outbox.payloads) insert.run(outbox.caseId, `msg_${randomUUID().replace(/-/g, '')}`, outbox.url, payload, now, now);
    })();
  } finally {
    sqlite.close();
  }
}

/** What one round cost per delivery. */
interface RoundCost {
  /** CPU µs of the sender: ours' server process (every thread), or this process for the bare loop. */
  readonly senderUs: number;
  /** CPU µs of ours' main thread, where the worker's loop runs (0 for the bare loop). */
  readonly mainThreadUs: number;
  readonly receiverUs: number;
  /** Bytes ours' server process wrote to disk. */
  readonly writeBytes: number;
  /** Share of the machine's cores busy during the round. */
  readonly machineBusy: number;
}

interface RoundMark {
  readonly server: CpuSnapshot;
  readonly receiver: CpuSnapshot;
  /** This process's CPU: at the start, the baseline; at the end, what it used since. */
  readonly self: NodeJS.CpuUsage;
  readonly written: number | null;
}

function roundCost(name: 'ours' | 'bare', from: RoundMark, to: RoundMark): RoundCost {
  const us = (seconds: number | null) => (1e6 * (seconds ?? 0)) / perRound;
  const server = cpuSpent(from.server, to.server);
  const receiver = cpuSpent(from.receiver, to.receiver);
  const machine = receiver.machine;
  return {
    senderUs: name === 'ours' ? us(server.processSeconds) : (to.self.user + to.self.system) / perRound,
    mainThreadUs: name === 'ours' ? us(server.mainThreadSeconds) : 0,
    receiverUs: us(receiver.processSeconds),
    writeBytes: name === 'ours' && from.written !== null && to.written !== null ? (to.written - from.written) / perRound : 0,
    machineBusy: machine !== null && machine.total > 0 ? machine.busy / machine.total : 0,
  };
}

/** The bare sender: `CONCURRENCY` loops POSTing the signed forms over keep-alive connections. */
async function bareLoop(url: URL, payloads: readonly string[], secret: string): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  let failures = 0;
  const post = (body: string): Promise<number> =>
    new Promise((resolve) => {
      const headers = signWebhook({ id: `msg_${randomUUID().replace(/-/g, '')}`, timestamp: new Date(), body, secrets: [secret] });
      const request = http.request(url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'bare-loop', ...headers },
      });
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      request.on('error', () => resolve(0));
      request.end(body);
    });
  const loop = async (): Promise<void> => {
    while (next < payloads.length) {
      const status = await post(payloads[next++]!);
      if (status < 200 || status >= 300) failures++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, () => loop()));
  agent.destroy();
  return failures;
}

async function main(): Promise<number> {
  ensureBuild(ROOT, { skip: args['no-build'], log });
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-callbacks-bench-'));
  const dataDir = path.join(work, 'data');
  let ours: Ours | null = null;
  let receiver: ServerProcess | null = null;
  try {
    const receiverPort = await freePort(HOST);
    receiver = await startServer({
      name: 'callback-receiver',
      cwd: ROOT,
      port: receiverPort,
      args: ['--import', 'tsx', 'bench/callback-receiver.ts'],
      env: { ...process.env, RECEIVER_PORT: String(receiverPort) },
      ready: /callback-receiver listening on/,
    });
    // A short poll: the worker finds each round's outbox within 50 ms, so the round's CPU window holds little idle time
    // (a worker that has found work delivers until none is due, whatever the poll).
    ours = await startOurs({
      root: ROOT,
      dataDir,
      env: { OPENRETINA_CALLBACK_ALLOW: '127.0.0.1', OPENRETINA_CALLBACK_CONCURRENCY: String(CONCURRENCY), OPENRETINA_CALLBACK_POLL_MS: '50' },
    });
    const hook = `http://${HOST}:${receiverPort}/hook`;
    const body = buildMultipartBody([], undefined, [['callback_url', hook]]);
    const created = await httpCall(ours.port, 'POST', '/cases', { 'content-type': body.contentType, authorization: `Bearer ${ours.clientToken}` }, body.body);
    const caseId = field(parseJson(created.text), 'content');
    if (created.status !== 201 || typeof caseId !== 'number') throw new Error(`POST /cases answered ${created.status}: ${created.text}`);
    const secret = field(field(await call(ours, 'GET', '/callbacks/secret', ours.clientToken), 'content'), 'webhook_secret');
    if (typeof secret !== 'string') throw new Error('no webhook secret');
    const payloads = Array.from({ length: perRound }, (_, i) =>
      callbackPayload({ event: 'case.reported', caseId, derivation: i % 5 === 0 ? 'preferential' : 'normal', reportVersion: 1, occurredAt: new Date().toISOString() }),
    );
    const file = path.join(dataDir, 'openretina.sqlite');
    const measured: Record<'ours' | 'bare', number[]> = { ours: [], bare: [] };
    // What each round cost per delivery, in µs of CPU: the sender (ours: the whole server process, and its
    // main thread alone; bare: this process), the receiver, and the machine's two cores together.
    const spent: Record<'ours' | 'bare', RoundCost[]> = { ours: [], bare: [] };
    const serverPid = ours.server.pid;
    const receiverPid = receiver.pid;
    await waitUntilQuiet(serverPid);
    // One unmeasured round each first: the first deliveries of a process pay for compiling its code and opening its connections.
    const warmUp = payloads.slice(0, warmUpCount);
    await httpCall(receiverPort, 'POST', '/reset', {});
    fillOutbox(file, { caseId, url: hook, payloads: warmUp });
    await waitFor(receiverPort, warmUp.length, 60_000);
    await bareLoop(new URL(hook), warmUp, secret);
    let failures = 0;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const);
      for (const name of order) {
        await httpCall(receiverPort, 'POST', '/reset', {});
        const before = { server: readCpuSnapshot(serverPid), receiver: readCpuSnapshot(receiverPid), self: process.cpuUsage(), written: readWriteBytes(serverPid) };
        if (name === 'ours') {
          fillOutbox(file, { caseId, url: hook, payloads });
          measured.ours.push(rateOf(await waitFor(receiverPort, perRound, 300_000)));
        } else {
          failures += await bareLoop(new URL(hook), payloads, secret);
          measured.bare.push(rateOf(await stats(receiverPort)));
        }
        const written = readWriteBytes(serverPid);
        spent[name].push(roundCost(name, before, { server: readCpuSnapshot(serverPid), receiver: readCpuSnapshot(receiverPid), self: process.cpuUsage(before.self), written }));
        const last = spent[name].at(-1)!;
        log(
          `  round ${round + 1} ${name.padEnd(4)}: ${perRound} deliveries, ${measured[name].at(-1)!.toFixed(0)} /s; per delivery: sender ${last.senderUs.toFixed(0)} µs of CPU` +
            `${name === 'ours' ? ` (main thread ${last.mainThreadUs.toFixed(0)}), ${(last.writeBytes / 1024).toFixed(1)} KiB written` : ''}, receiver ${last.receiverUs.toFixed(0)} µs; machine ${(100 * last.machineBusy).toFixed(0)} % busy`,
        );
      }
    }
    // Every row ours was given is delivered once, none failed or left pending.
    const sqlite = new SQLite(file, { readonly: true });
    const states = sqlite.prepare('select state, count(*) as n from callback_deliveries group by state').all() as { state: string; n: number }[];
    sqlite.close();
    const delivered = states.find((s) => s.state === 'delivered')?.n ?? 0;
    const wrong = delivered !== perRound * rounds + warmUp.length || states.some((s) => s.state !== 'delivered');
    if (wrong) log(`outbox states: ${JSON.stringify(states)}`);
    const total = (values: readonly number[]) => values.length / values.reduce((sum, r) => sum + 1 / r, 0); // harmonic mean: equal counts per round
    const o = total(measured.ours);
    const b = total(measured.bare);
    const ratio = o / Math.max(0.001, b);
    const mean = (values: readonly number[]) => values.reduce((a, v) => a + v, 0) / Math.max(1, values.length);
    const cost = (name: 'ours' | 'bare', key: keyof RoundCost) => mean(spent[name].map((x) => x[key]));
    const kibOurs = cost('ours', 'writeBytes') / 1024;
    // What the target rate would leave ours per delivery on this machine: its delivery loop is one thread
    // (on SQLite, one writer), and the receiver shares the cores.
    const targetRate = TARGET * b;
    const threadBudgetUs = 1e6 / targetRate;
    const processBudgetUs = (os.cpus().length * 1e6 - targetRate * cost('ours', 'receiverUs')) / targetRate;
    const budget =
      `at ${TARGET} × (${num(targetRate)}/s) ours' event loop (one thread: the leases, the signing, the records; the POSTs are in the sender's thread) could spend ${num(threadBudgetUs)} µs per delivery and spent ${num(cost('ours', 'mainThreadUs'))}; ` +
      `its process, given both cores but the receiver's ${num(cost('ours', 'receiverUs'))} µs, could spend ${num(processBudgetUs)} µs and spent ${num(cost('ours', 'senderUs'))}`;
    const rows: FigureRow[] = [
      {
        figure: 'callbacks',
        measure: `deliveries/s to a local receiver, ${CONCURRENCY} at once`,
        ours: num(o),
        baseline: `${num(b)} bare loop`,
        ratio,
        target: `≥ ${TARGET} ×`,
        met: !wrong && failures === 0 && ratio >= TARGET,
        note: `${perRound * rounds} deliveries each; CPU per delivery ours ${num(cost('ours', 'senderUs'))} µs (server process; main thread ${num(cost('ours', 'mainThreadUs'))}), bare ${num(cost('bare', 'senderUs'))} µs, the receiver ${num(cost('ours', 'receiverUs'))} µs (ours) and ${num(cost('bare', 'receiverUs'))} µs (bare); ${budget}; ours writes ${kibOurs.toFixed(1)} KiB per delivery; both keep their connections (ours: an undici pool per destination in the sender's thread, each new connection's address checked; the bare loop: node:http's keep-alive agent); ours keeps ${CONCURRENCY} in flight from its sender's thread, handing it up to four times that and leasing as many again ahead, and records the attempts that finish together in one transaction${wrong || failures > 0 ? `; PROBLEM: states ${JSON.stringify(states)}, bare failures ${failures}` : ''}`,
      },
    ];
    log(`ours ${o.toFixed(0)} /s, bare ${b.toFixed(0)} /s: ${ratio.toFixed(2)} ×; ${budget}`);
    await writeResult(outFile, { rows, perRound, rounds, concurrency: CONCURRENCY, measured, spent, states, bareFailures: failures });
    return wrong || failures > 0 ? 1 : 0;
  } finally {
    if (ours && !ours.server.exited()) await stopServer(ours.server);
    if (receiver && !receiver.exited()) await stopServer(receiver);
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:callbacks failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
