/** Query parameters whose values never reach a log line. */
const SECRET_PARAMS = /([?&](?:access_token|client_secret|token|password)=)[^&#]*/gi;

/** The URL with credential values replaced, for logs (OWASP Logging Cheat Sheet, "data to exclude"). */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}
