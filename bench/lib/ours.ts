/** Our server for the figures: started on a data dir, with the demo API client's and demo reader's tokens. */
import { HOST, authorize, demoReaderPassword, field, httpCall, parseJson } from './http.js';
import { type ServerProcess, freePort, startOpenretina } from './proc.js';

export interface Ours {
  readonly server: ServerProcess;
  readonly port: number;
  readonly base: string;
  readonly clientToken: string;
}

/**
 * On an empty data dir `serve` seeds the demo and prints its credentials; on
 * one used before, pass the client token got then (`clientToken`).
 */
export async function startOurs(options: {
  root: string;
  dataDir: string;
  env?: Readonly<Record<string, string>>;
  nodeArgs?: readonly string[];
  clientToken?: string;
}): Promise<Ours> {
  const port = await freePort(HOST);
  const server = await startOpenretina({ root: options.root, dataDir: options.dataDir, port, env: { OPENRETINA_LOG_LEVEL: 'warn', ...options.env }, nodeArgs: options.nodeArgs });
  const clientToken = options.clientToken ?? (await authorize(port, server.stdout()));
  return { server, port, base: `http://${HOST}:${port}`, clientToken };
}

/** The demo reader's bearer session (the password `serve` printed on an empty database). */
export async function readerToken(ours: Ours): Promise<string> {
  const password = demoReaderPassword(ours.server.stdout());
  const login = await httpCall(ours.port, 'POST', '/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ email: 'reader@demo.openretina.org', password }));
  const token = field(field(parseJson(login.text), 'content'), 'access_token');
  if (typeof token !== 'string') throw new Error(`POST /auth/login answered ${login.status}: ${login.text}`);
  return token;
}

/** A JSON call that must answer `expect`; its parsed body. */
export async function call(ours: Ours, method: string, urlPath: string, token: string, body?: unknown, expect = 200): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const answer = await httpCall(ours.port, method, urlPath, headers, body === undefined ? undefined : JSON.stringify(body));
  if (answer.status !== expect) throw new Error(`${method} ${urlPath} answered ${answer.status} (wanted ${expect}): ${answer.text.slice(0, 500)}`);
  return parseJson(answer.text);
}

const healthyEye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };
/** A valid signature: mild DR in one eye, rescreen in a year. */
export const SIGN_BODY = { od: { ...healthyEye, dr: 'mild' }, os: healthyEye, recommendation: 'Screen again in a year.', rescreen_months: 12 };
