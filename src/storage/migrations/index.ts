import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial.js';

/** Migrations are compiled in, not read from disk, so a bundled build finds them. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
