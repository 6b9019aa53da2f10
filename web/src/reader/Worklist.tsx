import { useEffect, useState } from 'react';
import { api, messageOf } from '../api.js';
import { DERIVATION_LABELS, GENDER_LABELS, formatDateTime, relativeToNow } from '../labels.js';
import { linkHandler, navigate } from '../router.js';
import type { ReportedItem, WorklistItem } from './types.js';

/** Pending cases, oldest (most urgent) first, and the cases signed last (to review or amend). */
export function Worklist() {
  const [items, setItems] = useState<readonly WorklistItem[] | null>(null);
  const [reported, setReported] = useState<readonly ReportedItem[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = () => {
      api.get<WorklistItem[]>('/reading/worklist').then(setItems, (e: unknown) => setError(messageOf(e)));
      api.get<ReportedItem[]>('/reading/reported').then(setReported, () => undefined);
    };
    load();
    // The worklist changes as clinics send cases and colleagues claim them.
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, []);

  const open = (id: number) => navigate(`/reading/cases/${id}`);
  return (
    <section aria-labelledby="worklist-title">
      <h1 id="worklist-title">Worklist</h1>
      {error && <p className="error" role="alert">{error}</p>}
      {items === null ? (
        <p className="loading">Loading…</p>
      ) : items.length === 0 ? (
        <p className="notice">No cases waiting. Well done.</p>
      ) : (
        <table className="list worklist">
          <thead>
            <tr>
              <th scope="col">Case</th>
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
                <td>
                  <a href={`/app/reading/cases/${item.id}`} onClick={linkHandler(`/reading/cases/${item.id}`)}>
                    #{item.id}
                  </a>
                </td>
                <td>{formatDateTime(item.submitted_at)}</td>
                <td>
                  <time dateTime={item.deadline} title={formatDateTime(item.deadline)}>
                    {item.overdue && <span className="badge urgent">Overdue</span>} {relativeToNow(item.deadline)}
                  </time>
                </td>
                <td>{patientSummary(item)}</td>
                <td>{item.image_count}</td>
                <td>
                  {item.claimed === 'mine' ? (
                    <span className="badge mine">By me</span>
                  ) : item.claimed === 'other' ? (
                    <span className="badge other" title={`until ${formatDateTime(item.claim_expires_at)}`}>
                      By another reader
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
        <table className="list">
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
                <td>
                  <a href={`/app/reading/cases/${item.id}`} onClick={linkHandler(`/reading/cases/${item.id}`)}>
                    #{item.id}
                  </a>
                </td>
                <td>{formatDateTime(item.updated_at)}</td>
                <td>{patientSummary(item)}</td>
                <td>{item.derivation && <span className={`badge ${item.derivation}`}>{DERIVATION_LABELS[item.derivation]}</span>}</td>
                <td>v{item.report_version}</td>
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
