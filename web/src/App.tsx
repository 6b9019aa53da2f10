import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiClients } from './admin/ApiClients.js';
import { AuditTrail } from './admin/AuditTrail.js';
import { Centers } from './admin/Centers.js';
import { Organisation } from './admin/Organisation.js';
import { People } from './admin/People.js';
import { ApiError, api, setCsrfToken } from './api.js';
import { Login } from './Login.js';
import { CaseView } from './reader/CaseView.js';
import { Worklist } from './reader/Worklist.js';
import { linkHandler, match, navigate, usePath } from './router.js';
import { type Session, SessionContext, type User } from './session.js';
import { CaseDetail } from './staff/CaseDetail.js';
import { CaseList } from './staff/CaseList.js';
import { NewCase } from './staff/NewCase.js';

type Me = User & { readonly csrf_token?: string };

/** Who is logged in decides the screens: readers read, staff send cases and fetch reports, admins administer their organisation. */
export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const path = usePath();

  useEffect(() => {
    api
      .get<Me>('/me')
      .then((me) => {
        setCsrfToken(me.csrf_token ?? null);
        setUser(me);
      })
      .catch((error: unknown) => {
        if (!(error instanceof ApiError) || error.status !== 401) console.error(error);
        setUser(null);
      });
  }, []);

  const logout = useCallback(async () => {
    await api.post('/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    setUser(null);
    navigate('/login', { replace: true });
  }, []);
  const session = useMemo<Session | null>(() => (user ? { user, logout } : null), [user, logout]);

  if (user === undefined) return <p className="loading">Loading…</p>;
  if (user === null || session === null) {
    return (
      <Login
        onLogin={(me, csrf) => {
          setCsrfToken(csrf);
          setUser(me);
          navigate(homeOf(me), { replace: true });
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <a className="skip-link" href="#main">
        Skip to the content
      </a>
      <Header user={user} path={path} onLogout={logout} />
      <main id="main" tabIndex={-1}>
        {route(user, path)}
      </main>
    </SessionContext.Provider>
  );
}

function homeOf(user: User): string {
  return user.role === 'reader' ? '/reading' : user.role === 'admin' ? '/admin/centers' : '/cases';
}

/** The administration screens, in the order of the navigation. */
const ADMIN_PAGES = [
  ['/admin/organisation', 'Organisation', Organisation],
  ['/admin/centers', 'Centers', Centers],
  ['/admin/api-clients', 'API clients', ApiClients],
  ['/admin/people', 'People', People],
  ['/admin/audit', 'Audit trail', AuditTrail],
] as const;

function route(user: User, path: string) {
  if (user.role === 'reader') {
    const reading = match('/reading/cases/:id', path);
    if (reading) return <CaseView key={reading.id} caseId={Number(reading.id)} />;
    if (match('/reading', path)) return <Worklist />;
  }
  if (user.role === 'staff') {
    if (match('/cases/new', path)) return <NewCase />;
    const detail = match('/cases/:id', path);
    if (detail) return <CaseDetail key={detail.id} caseId={Number(detail.id)} />;
    if (match('/cases', path)) return <CaseList />;
  }
  if (user.role === 'admin') {
    const page = ADMIN_PAGES.find(([at]) => match(at, path));
    if (page) {
      const Page = page[2];
      return <Page />;
    }
  }
  return <Redirect to={homeOf(user)} />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Header({ user, path, onLogout }: { user: User; path: string; onLogout: () => void }) {
  const home = homeOf(user);
  return (
    <header className="app-header">
      <a className="brand" href={`/app${home}`} onClick={linkHandler(home)}>
        openretina
      </a>
      <nav aria-label="Main">
        {user.role === 'reader' && (
          <a href="/app/reading" onClick={linkHandler('/reading')}>
            Worklist
          </a>
        )}
        {user.role === 'admin' &&
          ADMIN_PAGES.map(([at, label]) => (
            <a key={at} href={`/app${at}`} onClick={linkHandler(at)} aria-current={at === path ? 'page' : undefined}>
              {label}
            </a>
          ))}
        {user.role === 'staff' && (
          <>
            <a href="/app/cases" onClick={linkHandler('/cases')}>
              Cases
            </a>
            <a href="/app/cases/new" onClick={linkHandler('/cases/new')}>
              New case
            </a>
          </>
        )}
      </nav>
      <span className="who">
        {user.name}
        {user.licence_number ? ` · ${user.licence_number}` : ''}
      </span>
      <button type="button" className="link" onClick={onLogout}>
        Log out
      </button>
    </header>
  );
}
