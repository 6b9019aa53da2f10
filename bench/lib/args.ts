/** Command-line values the benchmarks share. */

/** `--server-env KEY=VALUE` options as an environment; exits with status 2 on a malformed one. */
export function serverEnvFrom(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      process.stderr.write(`--server-env wants KEY=VALUE, got ${pair}\n`);
      process.exit(2);
    }
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}
