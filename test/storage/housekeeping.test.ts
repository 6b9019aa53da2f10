import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type TestServer, bearer, startTestServer } from '../helpers/server.js';

describeEachDialect('housekeeping', (dialect) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(dialect);
  });
  after(() => server.close());

  it('removes orphan images and expired tokens, keeping everything a row names', async () => {
    const token = await server.token();
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 64, 64)]), 'kept.jpg');
    for (const [k, v] of Object.entries({ history_number: 'HK', gender: '0', age: '40' })) form.append(k, v);
    assert.equal((await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(token), body: form })).status, 201);
    // A crash between a blob's rename and its row's commit leaves this behind.
    await server.platform.blobs.put('images/00/00/00000000-orphan', Readable.from([await makeImage('jpeg', 8, 8)]));

    const { housekeeping } = server.platform;
    const soon = await housekeeping.runOnce(new Date());
    assert.equal(soon.orphanBlobs, 0, 'young blobs may belong to a running upload');

    const later = await housekeeping.runOnce(new Date(Date.now() + 2 * 3600_000));
    assert.equal(later.orphanBlobs, 1);
    assert.ok(later.tokens >= 1, 'the token expired in the meantime');
    assert.equal(await server.platform.blobs.exists('images/00/00/00000000-orphan'), false);
    const rows = await server.platform.database.db.selectFrom('case_images').select('blob_key').execute();
    for (const { blob_key } of rows) assert.equal(await server.platform.blobs.exists(blob_key), true, 'named blobs stay');
  });
});
