import fs from 'node:fs/promises';
import SQLite from 'better-sqlite3';

/**
 * An online copy of a SQLite database (SQLite's backup API through
 * better-sqlite3): consistent while the server keeps writing, unlike a copy of
 * the file, whose last commits may still be in its `-wal` file. The copy is
 * written under a temporary name and renamed, so `out` is whole or absent.
 */
export async function backupSqlite(databaseUrl: string, out: string): Promise<{ bytes: number }> {
  if (!databaseUrl.startsWith('sqlite:')) throw new Error('not a SQLite database');
  const source = new SQLite(databaseUrl.slice('sqlite:'.length), { readonly: true, fileMustExist: true });
  const temp = `${out}.${process.pid}.tmp`;
  try {
    await source.backup(temp);
    await fs.rename(temp, out);
  } finally {
    source.close();
    await fs.rm(temp, { force: true });
  }
  return { bytes: (await fs.stat(out)).size };
}
