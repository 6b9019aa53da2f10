import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { compiledSchemaCount } from '../../src/http/compiled-schemas.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

/**
 * Each app used to compile every route's serializer and validator anew (about
 * 450 ms of CPU), though the schemas are the same: a process that builds a
 * second app now finds them compiled, and they answer and refuse as before.
 */
it('a second app in the process compiles no schema again, and its routes serialize and validate as the first', async () => {
  servers.push(await startTestServer('sqlite'));
  const first = compiledSchemaCount();
  assert.ok(first.serializers > 10 && first.validators > 10, `compiled ${JSON.stringify(first)}`);
  servers.push(await startTestServer('sqlite'));
  assert.deepEqual(compiledSchemaCount(), first);

  const answers = await Promise.all(
    servers.map(async (server) => {
      const token = await server.token();
      const centers = await json(await fetch(`${server.baseUrl}/centers`, { headers: bearer(token) }));
      const refused = await fetch(`${server.baseUrl}/cases?page=zero`, { headers: bearer(token) });
      return { centers, refused: { status: refused.status, body: await json(refused) } };
    }),
  );
  assert.equal(answers[0]!.refused.status, 400);
  assert.deepEqual(answers[1], answers[0]);
});
