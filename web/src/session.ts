import { createContext, useContext } from 'react';

export interface User {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly role: 'admin' | 'reader' | 'staff';
  readonly licence_number: string | null;
  readonly center_ids: readonly number[];
}

export interface Session {
  readonly user: User;
  logout(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

/** The logged-in person; screens below the login only render with one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a session');
  return session;
}
