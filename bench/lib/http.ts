/** One-off HTTP calls of the benchmarks (the load itself goes through load.ts), and reading their JSON. */
import http from 'node:http';

export const HOST = '127.0.0.1';

export function httpCall(
  port: number,
  method: string,
  urlPath: string,
  headers: Record<string, string>,
  body?: Buffer | string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: HOST, port, method, path: urlPath, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/** The demo reader's password, as `openretina serve` printed it on an empty database. */
export function demoReaderPassword(stdout: string): string {
  const password = /reader\s+reader@demo\.openretina\.org\s+password:\s+(\S+)/.exec(stdout)?.[1];
  if (password === undefined) throw new Error('no demo reader password in the server output');
  return password;
}

/** A client token for the demo API client whose credentials `openretina serve` printed. */
export async function authorize(port: number, stdout: string): Promise<string> {
  const id = /client_id:\s+(orc_\S+)/.exec(stdout)?.[1];
  const secret = /client_secret:\s+(ors_\S+)/.exec(stdout)?.[1];
  if (id === undefined || secret === undefined) throw new Error(`no demo client credentials in the server output:\n${stdout}`);
  const form = new URLSearchParams({ client_id: id, client_secret: secret, grant_type: 'client_credentials' }).toString();
  const answer = await httpCall(port, 'POST', '/authorize', { 'content-type': 'application/x-www-form-urlencoded' }, form);
  const token = field(parseJson(answer.text), 'access_token');
  if (answer.status !== 200 || typeof token !== 'string') throw new Error(`POST /authorize answered ${answer.status}: ${answer.text}`);
  return token;
}
