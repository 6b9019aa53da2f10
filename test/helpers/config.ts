import { type Config, loadConfig } from '../../src/config.js';
import type { TestDatabase } from './dialects.js';

/**
 * Tests create many people and log them in; at production's 2^17 every
 * password hash and check costs a few hundred milliseconds of CPU. The
 * scheme is the same at 2^10, only cheaper.
 */
export const TEST_PASSWORD_HASH_COST = 10;

/** The settings of a platform on a test database: its URL and directories, cheap password hashes. */
export function testConfig(database: TestDatabase, overrides: Partial<Config> = {}): Config {
  return loadConfig(
    {},
    { databaseUrl: database.url, dataDir: database.dir, blobDir: `${database.dir}/blobs`, passwordHashCost: TEST_PASSWORD_HASH_COST, ...overrides },
  );
}

/** The same settings as environment variables, for the CLI and spawned processes. */
export function testEnv(database: TestDatabase): Record<string, string> {
  return {
    OPENRETINA_DATABASE_URL: database.url,
    OPENRETINA_DATA_DIR: database.dir,
    OPENRETINA_BLOB_DIR: `${database.dir}/blobs`,
    OPENRETINA_PASSWORD_HASH_COST: String(TEST_PASSWORD_HASH_COST),
  };
}
