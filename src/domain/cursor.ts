import { MAX_ID } from './ids.js';

/**
 * Opaque keyset cursor for newest-first listings: it carries the last id
 * seen. Tampering gains nothing, because every listing is scoped to the
 * caller's center before the cursor applies; one that names no possible id
 * is not a cursor this server issued.
 */
export function encodeCursor(lastId: number): string {
  return Buffer.from(JSON.stringify({ before: lastId })).toString('base64url');
}

export function decodeCursor(cursor: string): number | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'before' in parsed) {
      const before = (parsed as { before: unknown }).before;
      if (typeof before === 'number' && Number.isSafeInteger(before) && before > 0 && before <= MAX_ID) return before;
    }
  } catch {
    // fall through
  }
  return null;
}
