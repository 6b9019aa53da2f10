/**
 * Query parameters whose values may be logged: they carry paging and
 * filtering, never who a patient is or a credential. Anything else (`q` holds
 * names and history numbers, `access_token` a credential, an unknown
 * parameter anything) is logged as `[redacted]` (OWASP Logging Cheat Sheet,
 * "data to exclude").
 */
const LOGGABLE_PARAMS = new Set(['limit', 'cursor', 'status', 'variant', 'after', 'version', 'format', 'updated_since', 'center_id', 'wait_for_checks']);

/** The URL as a log line may show it: the path, and the query with every value outside the allow-list redacted. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (eq < 0 || LOGGABLE_PARAMS.has(safeDecode(name))) return pair;
      return `${name}=[redacted]`;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
