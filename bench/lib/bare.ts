/** The bare Fastify baseline (bench/bare-fastify.ts) as a child process. */
import { type ServerProcess, startServer } from './proc.js';

/** Serves `bodyFile` at every GET path: parsed and re-serialised as JSON, or as raw bytes of `contentType`. */
export function startBareFastify(root: string, port: number, bodyFile: string, options: { nodeArgs?: readonly string[]; contentType?: string } = {}): Promise<ServerProcess> {
  return startServer({
    name: 'bare-fastify',
    cwd: root,
    port,
    args: [...(options.nodeArgs ?? []), '--import', 'tsx', 'bench/bare-fastify.ts'],
    env: { ...process.env, BARE_PORT: String(port), BARE_BODY_FILE: bodyFile, ...(options.contentType === undefined ? {} : { BARE_CONTENT_TYPE: options.contentType }) },
    ready: /bare-fastify listening on/,
  });
}
