/**
 * The web app's API types, generated from the OpenAPI document with
 * openapi-typescript, so the browser code and the server's route schemas
 * cannot drift apart. `npm run openapi:write` writes them;
 * test/openapi.test.ts fails when the committed copy is stale.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { PACKAGE_ROOT } from '../src/package-root.js';

export const API_TYPES_PATH = path.join(PACKAGE_ROOT, 'web/src/api-schema.d.ts');

const HEADER = `/**
 * Generated from openapi.json by openapi-typescript (npm run openapi:write). Do not edit:
 * change the route schemas in src/http and regenerate. web/src/api-types.ts names the shapes the app uses.
 */
`;

export async function apiTypesSource(document: unknown): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return HEADER + astToString(ast);
}

// Run as a script: write the types of the committed openapi.json.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const document: unknown = JSON.parse(await fs.readFile(path.join(PACKAGE_ROOT, 'openapi.json'), 'utf8'));
  await fs.writeFile(API_TYPES_PATH, await apiTypesSource(document));
}
