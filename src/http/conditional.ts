/**
 * Conditional requests (RFC 9110 §13): an entity tag for bytes that never
 * change, and the If-None-Match test a cache uses to revalidate them.
 */

/** A strong entity tag from a content hash. */
export function entityTag(sha256: string): string {
  return `"${sha256}"`;
}

/**
 * Whether an If-None-Match header matches `tag` (RFC 9110 §13.1.2: `*`, or
 * any listed tag by weak comparison, so `W/"x"` matches `"x"`).
 */
export function ifNoneMatchHits(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}
