import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../../../src/config.js';
import type { TestDialect } from '../../helpers/dialects.js';
import { type TestServer, startTestServer } from '../../helpers/server.js';
import { send } from './fuzz.js';

export const READER_EMAIL = 'fuzz.reader@read.org';
export const READER_PASSWORD = 'a long fuzz reader password';

export interface FuzzServer {
  readonly server: TestServer;
  /** A token of the demo client (both demo centers). */
  readonly clientToken: string;
  /** A bearer session of a reader of the demo organisation. */
  readonly readerToken: string;
  /** The demo client's centers, and a center of another organisation. */
  readonly ownCenters: readonly number[];
  readonly foreignCenter: number;
  close(): Promise<void>;
}

/**
 * The real app on 127.0.0.1 with the throttles out of the way (the fuzzers
 * send thousands of failed logins and requests a minute from one address;
 * the throttles have their own tests), a reader, and another organisation.
 */
export async function startFuzzServer(dialect: TestDialect): Promise<FuzzServer> {
  const defaults = loadConfig({});
  // Blobs (and the SQLite file) in memory when the machine has a tmpfs: every upload fsyncs its files, which
  // the fuzzers do thousands of times; what they check is what is stored, not how durably.
  const scratch = await fs.mkdtemp(path.join(existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), `openretina-fuzz-${dialect}-`));
  const server = await startTestServer(dialect, {
    logLevel: 'warn',
    rateLimitPerMinute: 10_000_000,
    // Every failure count of the login throttle out of reach (the fuzzers fail thousands of logins from one address).
    auth: Object.fromEntries(Object.entries(defaults.auth).map(([k, v]) => [k, /failures/i.test(k) ? 1_000_000 : v])) as unknown as typeof defaults.auth,
    blobDir: path.join(scratch, 'blobs'),
    ...(dialect === 'sqlite' ? { databaseUrl: `sqlite:${path.join(scratch, 'fuzz.sqlite')}` } : {}),
  });
  const { admin } = server.platform.services;
  await admin.createUser({ email: READER_EMAIL, role: 'reader', name: 'Dr Fuzz', password: READER_PASSWORD, licenceNumber: 'FZ-1' });
  const other = await admin.createOrganisation('Elsewhere Optics');
  const foreign = await admin.createCenter({ name: 'Elsewhere', organisationId: other.id });
  const login = await send(server.baseUrl, {
    path: '/auth/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: READER_EMAIL, password: READER_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`reader login failed: ${login.status} ${login.text}`);
  return {
    server,
    clientToken: await server.token(),
    readerToken: (JSON.parse(login.text) as { content: { access_token: string } }).content.access_token,
    ownCenters: server.demo.centers.map((c) => c.id),
    foreignCenter: foreign.id,
    close: async () => {
      await server.close();
      await fs.rm(scratch, { recursive: true, force: true });
    },
  };
}

/** Small, deterministic images of each accepted kind (the same bytes every run). */
export interface ImageFixtures {
  readonly jpeg: Buffer;
  readonly png: Buffer;
  readonly tiff: Buffer;
}

export async function imageFixtures(): Promise<ImageFixtures> {
  const base = () => sharp({ create: { width: 24, height: 16, channels: 3, background: { r: 190, g: 80, b: 40 } } });
  return { jpeg: await base().jpeg().toBuffer(), png: await base().png().toBuffer(), tiff: await base().tiff().toBuffer() };
}

/** One multipart/form-data body from text fields and files, well-formed. */
export function multipartBody(
  boundary: string,
  parts: readonly { name: string; value: Buffer | string; filename?: string; contentType?: string }[],
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.contentType === undefined ? '' : `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A pending case of the demo client's active center with one image, created over HTTP; its id. */
export async function createPendingCase(fuzz: FuzzServer, jpeg: Buffer): Promise<number> {
  const boundary = 'fuzzcaseboundary';
  const answer = await send(fuzz.server.baseUrl, {
    path: '/cases',
    headers: { authorization: `Bearer ${fuzz.clientToken}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: multipartBody(boundary, [
      { name: 'history_number', value: 'FZ-0001' },
      { name: 'gender', value: '1' },
      { name: 'age', value: '60' },
      { name: 'images[]', value: jpeg, filename: 'od.jpg', contentType: 'image/jpeg' },
    ]),
  });
  if (answer.status !== 201) throw new Error(`creating a case failed: ${answer.status} ${answer.text}`);
  return (JSON.parse(answer.text) as { content: number }).content;
}
