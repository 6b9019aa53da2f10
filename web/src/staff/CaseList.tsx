import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, messageOf, request } from '../api.js';
import { DERIVATION_LABELS, STATUS_LABELS, formatDateTime } from '../labels.js';
import { linkHandler } from '../router.js';
import { type Center, type StaffCase, patientName } from './types.js';

interface Filters {
  readonly q: string;
  readonly status: string;
  readonly center: string;
}

/** The cases of the centers this member of staff works for: newest first, with search and filters. */
export function CaseList() {
  const [filters, setFilters] = useState<Filters>({ q: '', status: '', center: '' });
  const [cases, setCases] = useState<readonly StaffCase[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [centers, setCenters] = useState<readonly Center[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.get<Center[]>('/staff/centers').then(setCenters, () => undefined);
  }, []);

  const load = useCallback(async (f: Filters, after: string | null) => {
    const query = new URLSearchParams({ limit: '50' });
    if (f.q.trim()) query.set('q', f.q.trim());
    if (f.status) query.set('status', f.status);
    if (f.center) query.set('center_id', f.center);
    if (after) query.set('cursor', after);
    try {
      const page = await request<StaffCase[]>('GET', `/staff/cases?${query.toString()}`);
      setCases((previous) => (after && previous ? [...previous, ...page.content] : page.content));
      setCursor(page.next_cursor ?? null);
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, []);

  useEffect(() => {
    void load(filters, null);
    // Reports arrive while the list is open.
    const timer = setInterval(() => void load(filters, null), 30_000);
    return () => clearInterval(timer);
  }, [filters, load]);

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters({ q: String(form.get('q') ?? ''), status: String(form.get('status') ?? ''), center: String(form.get('center') ?? '') });
  };
  const centerName = (id: number) => centers.find((c) => c.id === id)?.name ?? `Center ${id}`;

  return (
    <section aria-labelledby="cases-title">
      <div className="title-row">
        <h1 id="cases-title">Cases</h1>
        <a className="button primary" href="/app/cases/new" onClick={linkHandler('/cases/new')}>
          New case
        </a>
      </div>
      <form className="filters" role="search" onSubmit={search}>
        <label>
          Search
          <input name="q" type="search" placeholder="History number, name or case number" defaultValue={filters.q} />
        </label>
        <label>
          Status
          <select name="status" defaultValue={filters.status}>
            <option value="">Any</option>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {centers.length > 1 && (
          <label>
            Center
            <select name="center" defaultValue={filters.center}>
              <option value="">All my centers</option>
              {centers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit">Search</button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {cases === null ? (
        <p className="loading">Loading…</p>
      ) : cases.length === 0 ? (
        <p className="notice">No cases{filters.q || filters.status ? ' match' : ' yet'}.</p>
      ) : (
        <table className="list cases">
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Patient</th>
              <th scope="col">Sent</th>
              {centers.length > 1 && <th scope="col">Center</th>}
              <th scope="col">Status</th>
              <th scope="col">Derivation</th>
              <th scope="col">Report</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id} data-case-id={c.id}>
                <td data-label="Case">
                  <a href={`/app/cases/${c.id}`} onClick={linkHandler(`/cases/${c.id}`)}>
                    #{c.id}
                  </a>
                </td>
                <td data-label="Patient">{patientName(c)}</td>
                <td data-label="Sent">{formatDateTime(c.created_at)}</td>
                {centers.length > 1 && <td data-label="Center">{centerName(c.center_id)}</td>}
                <td data-label="Status">
                  <span className={`badge ${c.status}`} data-status={c.status}>
                    {STATUS_LABELS[c.status]}
                  </span>
                </td>
                <td data-label="Derivation">
                  {c.derivation ? <span className={`badge ${c.derivation}`}>{DERIVATION_LABELS[c.derivation]}</span> : '—'}
                  {c.amendment?.more_urgent && (
                    <span
                      className="badge raised"
                      data-testid="more-urgent"
                      title={`Amended ${formatDateTime(c.amendment.amended_at)}: was ${DERIVATION_LABELS[c.amendment.previous_derivation].toLowerCase()}. ${c.amendment.reason}`}
                    >
                      ↑ more urgent
                    </span>
                  )}
                </td>
                <td data-label="Report">
                  {c.report_url ? (
                    <a href={c.report_url} download>
                      PDF v{c.report_version}
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <p>
          <button type="button" onClick={() => void load(filters, cursor)}>
            Show older cases
          </button>
        </p>
      )}
    </section>
  );
}
