import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { buildApp } from '../http/app.js';
import { openPlatform } from '../platform.js';

/** The OpenAPI document, generated from the route schemas of a throwaway in-memory app. */
export async function generateOpenApiDocument(): Promise<unknown> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-openapi-'));
  const config = loadConfig({}, { databaseUrl: 'sqlite::memory:', dataDir: dir, blobDir: dir, seedDemo: false, logLevel: 'silent' });
  const platform = await openPlatform(config);
  try {
    const app = await buildApp(platform);
    await app.ready();
    const document = app.swagger();
    await app.close();
    return document;
  } finally {
    await platform.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
