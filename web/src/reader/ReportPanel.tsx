import { useState } from 'react';
import type { ReportLanguage } from '../../../src/domain/center.js';
import { DERIVATION_LABELS, formatDateTime } from '../labels.js';
import { type ReportBody, GradingForm } from './GradingForm.js';
import type { ReportVersion } from './types.js';

/** A signed case: the PDF as the center receives it, every version signed, and the way to amend. */
export function ReportPanel({
  caseId,
  language,
  history,
  errors,
  busy,
  onAmend,
}: {
  caseId: number;
  /** The center's report language, for the standard wording of an amendment. */
  language: ReportLanguage;
  history: readonly ReportVersion[];
  errors: Record<string, string>;
  busy: boolean;
  onAmend: (body: ReportBody) => Promise<boolean>;
}) {
  const latest = history[history.length - 1];
  const [shown, setShown] = useState<number | null>(null);
  const [amending, setAmending] = useState(false);
  if (!latest) return <p className="loading">Loading the report…</p>;
  const version = shown ?? latest.version;
  // A column only when some version needed one: a reader who did not suspect glaucoma against the cup-to-disc rule said why.
  const glaucomaReasons = history.some((v) => v.glaucoma_override_reason !== null);
  return (
    <section className="report" aria-labelledby="report-title">
      <h2 id="report-title">
        Report v{latest.version} · <span className={`badge ${latest.derivation}`}>{DERIVATION_LABELS[latest.derivation]}</span>
      </h2>
      <table className="list history" aria-label="Report history">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Signed</th>
            <th scope="col">By</th>
            <th scope="col">Derivation</th>
            <th scope="col">Why amended</th>
            {glaucomaReasons && <th scope="col">Glaucoma not suspected because</th>}
          </tr>
        </thead>
        <tbody>
          {history.map((v) => (
            <tr key={v.version} data-version={v.version} className={v.version === version ? 'selected' : undefined}>
              <td>
                <button type="button" className="link" onClick={() => setShown(v.version)} aria-pressed={v.version === version}>
                  v{v.version}
                </button>
              </td>
              <td>{formatDateTime(v.signed_at)}</td>
              <td>
                {v.reader_name}
                {v.reader_licence ? ` (${v.reader_licence})` : ''}
              </td>
              <td>
                {DERIVATION_LABELS[v.derivation]}
                {v.override_reason && <span className="muted" title={v.override_reason}> (override)</span>}
              </td>
              <td>{v.amend_reason ?? '—'}</td>
              {glaucomaReasons && <td>{v.glaucoma_override_reason ?? '—'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <iframe key={`pdf-${version}`} className="pdf" title={`Report PDF, version ${version}`} src={`/reading/cases/${caseId}/report?version=${version}`} />
      {amending ? (
        <GradingForm
          key={`amend-${latest.version}`}
          mode="amend"
          language={language}
          initial={latest}
          errors={errors}
          busy={busy}
          onSubmit={(body) => {
            void onAmend(body).then((ok) => {
              if (!ok) return;
              setShown(null);
              setAmending(false);
            });
          }}
        />
      ) : (
        <p>
          <button type="button" onClick={() => setAmending(true)}>
            Amend the report…
          </button>
        </p>
      )}
    </section>
  );
}
