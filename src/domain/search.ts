/**
 * Staff search: what a case can be found by, and what a search asks for.
 * Both sides are normalized the same way — lower case, accents removed — so
 * "lucia", "LUCÍA" and "Lucía" are one word, on SQLite and PostgreSQL alike
 * (the database compares plain text and never needs a collation of its own).
 */

/** Lower case, accents and other combining marks removed ("Ángel Núñez" → "angel nunez"). */
export function normalizeForSearch(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC');
}

/** The longest search term stored or asked for: longer text is cut there (intake fields are shorter anyway). */
export const MAX_TERM_LENGTH = 100;

const cut = (term: string) => [...term].slice(0, MAX_TERM_LENGTH).join('');

/** Marks the term that is a whole history number, which a bare number matches exactly ("=123456"). */
const WHOLE_HISTORY_NUMBER = '=';

/**
 * The terms a case is found by: every word of its history number and names
 * (split at anything that is not a letter or a digit), each of those values
 * whole when it has such separators ("h-7001" beside "h" and "7001"), and the
 * whole history number once more, marked, for a search by that number alone.
 * A search word finds a case when it begins one of its terms.
 */
export function searchTermsOf(c: { readonly historyNumber: string | null; readonly firstName: string | null; readonly lastName: string | null }): string[] {
  const terms = new Set<string>();
  for (const value of [c.historyNumber, c.firstName, c.lastName]) {
    const normalized = normalizeValue(value);
    if (normalized === '') continue;
    const words = normalized.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
    for (const word of words) terms.add(cut(word));
    if (words.length !== 1 || words[0] !== normalized) terms.add(cut(normalized));
  }
  const history = normalizeValue(c.historyNumber);
  if (history !== '') terms.add(cut(WHOLE_HISTORY_NUMBER + history));
  return [...terms];
}

function normalizeValue(value: string | null): string {
  return value === null ? '' : normalizeForSearch(value).trim().replace(/\s+/g, ' ');
}

/** One word of a search, as the repository looks it up. */
export type SearchWord =
  /** `#12`: the case with that id, nothing else. */
  | { readonly kind: 'case_id'; readonly id: number }
  /** `12`: the case with that id, or the case whose whole history number is 12 (not "H-12", not "120"); `term` is what it looks up. */
  | { readonly kind: 'number'; readonly id: number | null; readonly term: string }
  /** Anything else: the beginning of a term. */
  | { readonly kind: 'prefix'; readonly term: string };

/** Ids beyond this are no case (JavaScript's safe integers; the API's ids stay far below). */
const MAX_SEARCH_ID = 999_999_999_999_999;

/**
 * The words of a search as they are looked up; null when the search can
 * match nothing (a word that normalizes to nothing, such as a lone accent).
 */
export function parseSearch(q: string): SearchWord[] | null {
  const words: SearchWord[] = [];
  for (const raw of q.trim().split(/\s+/).filter((w) => w !== '')) {
    const word = normalizeForSearch(raw);
    const caseNumber = /^#([0-9]+)$/.exec(word);
    if (caseNumber) {
      const id = Number(caseNumber[1]);
      if (id < 1 || id > MAX_SEARCH_ID) return null;
      words.push({ kind: 'case_id', id });
    } else if (/^[0-9]+$/.test(word)) {
      const id = Number(word);
      words.push({ kind: 'number', id: id >= 1 && id <= MAX_SEARCH_ID ? id : null, term: cut(WHOLE_HISTORY_NUMBER + word) });
    } else if (word === '') return null;
    else words.push({ kind: 'prefix', term: cut(word) });
  }
  return words;
}

/**
 * The smallest text greater than every text that begins with `prefix`, in
 * code point order (byte order of UTF-8, how both databases compare the
 * search terms): `prefix ≤ term < upperBound(prefix)` is "term begins with
 * prefix", which a B-tree index answers. Null when there is no such bound.
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000; // no lone surrogates
    if (next <= 0x10ffff) return String.fromCodePoint(...points, next);
  }
  return null;
}
