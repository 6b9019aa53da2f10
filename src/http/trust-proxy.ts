import type { Config } from '../config.js';

/** What Fastify's `trustProxy` takes: nothing, the proxies' addresses, or a rule per hop. */
export type FastifyTrustProxy = false | string[] | ((address: string, hop: number) => boolean);

/**
 * The setting as Fastify's option. A hop count becomes a rule of our own:
 * Fastify 5.12 takes a bare number to mean "trust no hop" (a direct client
 * could otherwise send enough hops to be believed), and README, Settings,
 * documents that risk of a hop count.
 */
export function fastifyTrustProxy(trust: Config['trustProxy']): FastifyTrustProxy {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}
