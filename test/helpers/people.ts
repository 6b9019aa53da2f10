import { type TestServer, json } from './server.js';

/** The password every person made by these helpers has. */
export const TEST_PASSWORD = 'a long enough test password';

/** Logs a person in through POST /auth/login and returns their bearer session token. */
export async function logIn(server: TestServer, email: string, password = TEST_PASSWORD): Promise<string> {
  const response = await fetch(`${server.baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (response.status !== 200) throw new Error(`login of ${email} failed: ${response.status} ${await response.text()}`);
  return (await json<{ content: { access_token: string } }>(response)).content.access_token;
}

/** A new reader (retina specialist) of the server's organisation, logged in: their session token. */
export async function newReader(server: TestServer, email: string): Promise<string> {
  await server.platform.services.admin.createUser({ email, role: 'reader', name: `Dr ${email.split('@')[0]}`, password: TEST_PASSWORD, licenceNumber: `L-${email}` });
  return logIn(server, email);
}
