import { type FormEvent, useEffect, useState } from 'react';
import { api, messageOf } from '../api.js';
import { DERIVATION_LABELS, GENDER_LABELS, formatDateTime, relativeToNow } from '../labels.js';
import { linkHandler, navigate } from '../router.js';
import type { ReportedItem, WorklistItem } from './types.js';

/** What the reader narrowed the worklist to; kept for the session, so "Sign and open the next case" follows it too. */
interface WorklistFilters {
  readonly centerId: number | null;
  readonly centerName: string | null;
  readonly deadline: '' | 'overdue' | 'in_time';
}

const NO_FILTERS: WorklistFilters = { centerId: null, centerName: null, deadline: '' };
const FILTERS_KEY = 'openretina.worklist-filters';

function savedFilters(): WorklistFilters {
  try {
    return { ...NO_FILTERS, ...(JSON.parse(sessionStorage.getItem(FILTERS_KEY) ?? '{}') as Partial<WorklistFilters>) };
  } catch {
    return NO_FILTERS;
  }
}

function worklistUrl(f: WorklistFilters): string {
  const query = new URLSearchParams();
  if (f.centerId !== null) query.set('center_id', String(f.centerId));
  if (f.deadline !== '') query.set('overdue', String(f.deadline === 'overdue'));
  const text = query.toString();
  return text ? `/reading/worklist?${text}` : '/reading/worklist';
}

/** The case to read after `currentId`: the oldest of the (filtered) worklist that nobody else holds. */
export async function nextCaseAfter(currentId: number): Promise<number | null> {
  const items = await api.get<WorklistItem[]>(worklistUrl(savedFilters()));
  return items.find((i) => i.id !== currentId && i.claimed !== 'other')?.id ?? null;
}

/** "Report of case #12 signed." after "Sign and open the next case" (`?signed=12`). */
export function signedNotice(search: string): string | null {
  const signed = new URLSearchParams(search).get('signed');
  return signed && /^[1-9][0-9]*$/.test(signed) ? `Report of case #${signed} signed.` : null;
}

/** Pending cases, oldest (most urgent) first, and the cases signed last (to review or amend). */
export function Worklist() {
  const [items, setItems] = useState<readonly WorklistItem[] | null>(null);
  const [reported, setReported] = useState<readonly ReportedItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [filters, setFilters] = useState<WorklistFilters>(savedFilters);
  // Every center seen in the worklist, so the filter can offer them while one is chosen.
  const [centers, setCenters] = useState<ReadonlyMap<number, string>>(() => new Map(filters.centerId !== null ? [[filters.centerId, filters.centerName ?? `Center ${filters.centerId}`]] : []));
  const notice = signedNotice(location.search);

  useEffect(() => {
    sessionStorage.setItem(FILTERS_KEY, JSON.stringify(filters));
    const load = () => {
      api.get<WorklistItem[]>(worklistUrl(filters)).then(
        (list) => {
          setItems(list);
          setError(null);
          setCenters((known) => (list.some((i) => !known.has(i.center_id)) ? new Map([...known, ...list.map((i) => [i.center_id, i.center_name] as const)]) : known));
        },
        (e: unknown) => setError(messageOf(e)),
      );
      api.get<ReportedItem[]>('/reading/reported').then(setReported, () => undefined);
    };
    load();
    // The worklist changes as clinics send cases and colleagues claim them.
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, [filters]);

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const center = String(form.get('center') ?? '');
    const centerId = center === '' ? null : Number(center);
    setFilters({ centerId, centerName: centerId === null ? null : (centers.get(centerId) ?? null), deadline: String(form.get('deadline') ?? '') as WorklistFilters['deadline'] });
  };
  const filtered = filters.centerId !== null || filters.deadline !== '';

  const open = (id: number) => navigate(`/reading/cases/${id}`);
  return (
    <section aria-labelledby="worklist-title">
      <h1 id="worklist-title">Worklist</h1>
      {notice && (
        <p className="notice" role="status">
          {notice} {items !== null && items.length === 0 ? 'No more cases waiting.' : ''}
        </p>
      )}
      <form className="filters" aria-label="Filter the worklist" onSubmit={applyFilters} onChange={(e) => e.currentTarget.requestSubmit()}>
        <label>
          Center
          <select name="center" defaultValue={filters.centerId ?? ''}>
            <option value="">All centers</option>
            {[...centers].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Deadline
          <select name="deadline" defaultValue={filters.deadline}>
            <option value="">Any</option>
            <option value="overdue">Overdue only</option>
            <option value="in_time">Still in time</option>
          </select>
        </label>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {items === null ? (
        <p className="loading">Loading…</p>
      ) : items.length === 0 ? (
        <p className="notice">{filtered ? 'No cases waiting that match the filters.' : 'No cases waiting. Well done.'}</p>
      ) : (
        <table className="list worklist">
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Center</th>
              <th scope="col">Submitted</th>
              <th scope="col">Deadline</th>
              <th scope="col">Patient</th>
              <th scope="col">Images</th>
              <th scope="col">Claimed</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} className={item.overdue ? 'overdue' : undefined} data-case-id={item.id}>
                <td data-label="Case">
                  <a href={`/app/reading/cases/${item.id}`} onClick={linkHandler(`/reading/cases/${item.id}`)}>
                    #{item.id}
                  </a>
                </td>
                <td data-label="Center">{item.center_name}</td>
                <td data-label="Submitted">{formatDateTime(item.submitted_at)}</td>
                <td data-label="Deadline">
                  <time dateTime={item.deadline} title={formatDateTime(item.deadline)}>
                    {item.overdue && <span className="badge urgent">Overdue</span>} {relativeToNow(item.deadline)}
                  </time>
                </td>
                <td data-label="Patient">{patientSummary(item)}</td>
                <td data-label="Images">{item.image_count}</td>
                <td data-label="Claimed">
                  {item.claimed === 'mine' ? (
                    <span className="badge mine">By me</span>
                  ) : item.claimed === 'other' ? (
                    <span className="badge other" title={`until ${formatDateTime(item.claim_expires_at)}`}>
                      By {item.claimed_by ?? 'another reader'}
                    </span>
                  ) : (
                    <button type="button" className="small" onClick={() => open(item.id)}>
                      Read
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Recently reported</h2>
      {reported.length === 0 ? (
        <p className="muted">Nothing reported yet.</p>
      ) : (
        <table className="list worklist reported">
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Signed</th>
              <th scope="col">Patient</th>
              <th scope="col">Derivation</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {reported.map((item) => (
              <tr key={item.id} data-case-id={item.id}>
                <td data-label="Case">
                  <a href={`/app/reading/cases/${item.id}`} onClick={linkHandler(`/reading/cases/${item.id}`)}>
                    #{item.id}
                  </a>
                </td>
                <td data-label="Signed">{formatDateTime(item.updated_at)}</td>
                <td data-label="Patient">{patientSummary(item)}</td>
                <td data-label="Derivation">{item.derivation && <span className={`badge ${item.derivation}`}>{DERIVATION_LABELS[item.derivation]}</span>}</td>
                <td data-label="Version">v{item.report_version}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function patientSummary(p: { age: number | null; gender: number | null; diabetes?: number | null }): string {
  const parts = [p.age === null ? 'age ?' : `${p.age} y`, p.gender === null ? null : GENDER_LABELS[p.gender]];
  if (p.diabetes === 1) parts.push('diabetic');
  return parts.filter((x) => x !== null).join(', ');
}
