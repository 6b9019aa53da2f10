/** What Fastify names a JSON answer it serialised itself; our own JSON answers name it the same. */
export const JSON_BODY = 'application/json; charset=utf-8';

/**
 * Picks the media type the client prefers among `offered` from its Accept
 * header (RFC 9110 §12.5.1); the first offered wins when nothing is said.
 */
export function preferredMediaType(accept: string | undefined, offered: readonly string[]): string {
  if (!accept || accept.trim() === '') return offered[0]!;
  let best = offered[0]!;
  let bestQ = -1;
  let bestSpecificity = -1;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    for (const candidate of offered) {
      const [major] = candidate.split('/');
      const specificity = type === candidate ? 2 : type === `${major}/*` ? 1 : type === '*/*' ? 0 : -1;
      if (specificity < 0) continue;
      if (q > bestQ || (q === bestQ && specificity > bestSpecificity)) {
        best = candidate;
        bestQ = q;
        bestSpecificity = specificity;
      }
    }
  }
  return best;
}
