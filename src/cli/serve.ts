import type { Config } from '../config.js';
import { buildApp } from '../http/app.js';
import { openPlatform } from '../platform.js';
import { Housekeeping } from '../services/housekeeping.js';

/** `openretina serve`: open storage, seed the demo on an empty database, listen, close gracefully. */
export async function serve(config: Config): Promise<void> {
  const platform = await openPlatform(config);
  const demo = config.seedDemo ? await platform.services.admin.seedDemoIfEmpty() : null;
  const app = await buildApp(platform);
  // Slow-header and slow-body guards (Node's 300 s default is too generous).
  app.server.headersTimeout = config.headersTimeoutMs;
  app.server.requestTimeout = config.requestTimeoutMs;
  const address = await app.listen({ host: config.host, port: config.port });

  if (demo) {
    const lines = [
      '',
      '  openretina: created the demo organisation on this empty database.',
      `  Centers: ${demo.centers.map((c) => `${c.id} "${c.name}"`).join(', ')}`,
      `  API client (works for both centers):`,
      `    client_id:     ${demo.client.client_id}`,
      `    client_secret: ${demo.client.client_secret}`,
      `  People (POST /auth/login):`,
      `    reader ${demo.reader.email}  password: ${demo.reader.password ?? ''}`,
      `    staff  ${demo.staff.email}  password: ${demo.staff.password ?? ''}`,
      '  Secrets and passwords are stored only as hashes and will not be shown again.',
      `  Try: curl --data "client_id=${demo.client.client_id}&client_secret=${demo.client.client_secret}&grant_type=client_credentials" ${address}/authorize`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  process.stdout.write(`openretina listening on ${address} (API reference: ${address}/docs)\n`);

  const housekeeping = new Housekeeping(platform);
  housekeeping.start();

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    housekeeping.stop();
    await app.close();
    await platform.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
