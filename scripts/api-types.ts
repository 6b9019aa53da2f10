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

export const API_TYPES_URL = new URL('../web/src/api-schema.d.ts', import.meta.url);

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
  const document: unknown = JSON.parse(await fs.readFile(new URL('../openapi.json', import.meta.url), 'utf8'));
  await fs.writeFile(API_TYPES_URL, await apiTypesSource(document));
}
