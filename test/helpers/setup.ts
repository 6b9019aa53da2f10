import { isPostgresReachable, setPostgresReachable } from './dialects.js';

// Probed once per test file before its suites are declared.
const reachable = await isPostgresReachable();
setPostgresReachable(reachable);
if (!reachable && process.env.CI !== 'true' && process.env.OPENRETINA_REQUIRE_POSTGRES !== '1') {
  process.stderr.write('\n*** PostgreSQL is not reachable: the PostgreSQL runs of this file are SKIPPED ***\n\n');
}
