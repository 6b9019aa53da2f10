import { type FormEvent, useEffect, useState } from 'react';
import { type EyeGrading, glaucomaStatement } from '../../../src/domain/grading.js';
import { addMonths } from '../../../src/domain/report-text.js';
import { api, fieldErrors, messageOf } from '../api.js';
import {
  AMD_LABELS,
  DERIVATION_LABELS,
  DERIVATION_MEANING,
  DME_LABELS,
  DR_LABELS,
  GENDER_LABELS,
  QUALITY_LABELS,
  REJECTION_LABELS,
  REJECTION_NEXT_STEP,
  STATUS_LABELS,
  formatDateTime,
} from '../labels.js';
import { linkHandler } from '../router.js';
import { ACCEPTED_TYPES } from './photo-files.js';
import { type StaffCase, patientName } from './types.js';

/** How the eye was known, where that is worth saying beside it. */
const EYE_SOURCE_NOTES: Readonly<Record<string, string>> = { detected: ', detected', dicom: ', from the DICOM file' };

type Photograph = StaffCase['images'][number];

/** What the automatic checks found in one photograph, in a few words: what to retake while the patient is still here. */
function PhotoCheck({ image }: { image: Photograph }) {
  if (image.status === 'checking') return <span className="muted">checking…</span>;
  if (image.status === 'unreadable') {
    return <strong className="field-error">cannot be read, send it again ({image.status_reason})</strong>;
  }
  const checks = image.checks;
  if (!checks) return <span>received</span>;
  const problems = [
    checks.fundus.verdict === 'not_fundus' && `not a fundus photograph? ${checks.fundus.reason}`,
    checks.quality.verdict === 'reject' && `retake: ${checks.quality.reason}`,
    checks.laterality.verdict === 'disagrees' && `the other eye? ${checks.laterality.reason}`,
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) return <strong className="field-error">{problems.join('; ')}</strong>;
  return <span>quality {checks.quality.verdict}{checks.quality.verdict === 'usable' ? ` (${checks.quality.reason})` : ''}</span>;
}

/** One case as the center sees it: the patient, its status and derivation, the findings and the report. */
export function CaseDetail({ caseId }: { caseId: number }) {
  const [c, setCase] = useState<StaffCase | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = () => api.get<StaffCase>(`/staff/cases/${caseId}`).then(setCase, (e: unknown) => setError(messageOf(e)));
    load();
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, [caseId]);

  if (!c) return error ? <p className="error" role="alert">{error}</p> : <p className="loading">Loading…</p>;
  return (
    <section aria-labelledby="case-title">
      <p>
        <a href="/app/cases" onClick={linkHandler('/cases')}>
          ← Cases
        </a>
      </p>
      <h1 id="case-title">
        Case #{c.id} <span className={`badge ${c.status}`} data-testid="case-status">{STATUS_LABELS[c.status]}</span>
      </h1>
      <dl className="facts">
        <dt>Patient</dt>
        <dd>{patientName(c)}</dd>
        <dt>Age, gender</dt>
        <dd>
          {c.age ?? '—'} y, {c.gender === null ? '—' : GENDER_LABELS[c.gender]}
        </dd>
        <dt>Visit</dt>
        <dd>{c.visit_date}</dd>
        <dt>Sent</dt>
        <dd>{formatDateTime(c.created_at)}</dd>
        <dt>Photographs</dt>
        <dd>
          {c.images.length === 0 ? (
            'none yet'
          ) : (
            <ul className="photo-checks">
              {c.images.map((i) => (
                <li key={i.id} data-testid="photograph" data-status={i.status}>
                  {i.file_name}
                  {i.eye && ` · ${i.eye === 'od' ? 'right eye (OD)' : 'left eye (OS)'}${EYE_SOURCE_NOTES[i.eye_source ?? ''] ?? ''}`} · <PhotoCheck image={i} />
                  {i.dicom && (
                    <>
                      {' · came as DICOM '}
                      <a href={`/staff/cases/${c.id}/images/${i.id}/dicom`} download data-testid="dicom-file">
                        (download the file)
                      </a>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </dd>
        {c.status === 'reported' && c.derivation && (
          <>
            <dt>Derivation</dt>
            <dd>
              <span className={`badge ${c.derivation}`} data-testid="case-derivation">{DERIVATION_LABELS[c.derivation]}</span> {DERIVATION_MEANING[c.derivation]}
            </dd>
            <dt>Reported</dt>
            <dd>
              {formatDateTime(c.reported_at)} · version {c.report_version}
            </dd>
          </>
        )}
      </dl>
      {c.status === 'reported' && c.amendment && (
        <div className={c.amendment.more_urgent ? 'notice warning' : 'notice'} data-testid="amendment">
          <p>
            <strong>
              {c.amendment.more_urgent ? 'More urgent now: ' : 'Amended: '}
              the report was amended on {formatDateTime(c.amendment.amended_at)}, from {DERIVATION_LABELS[c.amendment.previous_derivation].toLowerCase()} to{' '}
              {c.derivation ? DERIVATION_LABELS[c.derivation].toLowerCase() : '—'}.
            </strong>{' '}
            Reason: {c.amendment.reason}
          </p>
          {c.amendment.more_urgent && (
            <p>
              <strong>What to do:</strong> if the patient was told the earlier result, contact them again with the new report.
            </p>
          )}
        </div>
      )}
      {c.waiting_for === 'reader' && <p className="notice">Waiting for a retina specialist.</p>}
      {c.waiting_for === 'images' && c.requested && (
        <div className="notice warning" data-testid="images-requested">
          <p>
            <strong>The retina specialist asks for new photographs ({formatDateTime(c.requested.requested_at)}):</strong> {REJECTION_LABELS[c.requested.reason]}.
          </p>
          {c.requested.text && <blockquote>{c.requested.text}</blockquote>}
          <p>
            <strong>What to do:</strong> add them below; the case goes back to the specialist with the earlier photographs kept.
          </p>
        </div>
      )}
      {c.waiting_for === 'images' && !c.requested && c.images.length === 0 && (
        <p className="notice warning" data-testid="no-images">
          This case has no photographs yet: a retina specialist cannot read it until you add them below.
        </p>
      )}
      {c.waiting_for === 'images' && !c.requested && c.images.length > 0 && (
        <p className="notice warning" data-testid="no-readable-images">
          None of this case’s photographs can be read: a retina specialist cannot read it until you add new ones below.
        </p>
      )}
      {c.status === 'pending' && <AddPhotographs caseId={c.id} onAdded={(next) => setCase(next)} />}
      {c.status === 'rejected' && (
        <div className="notice warning" data-testid="rejection">
          <p>
            <strong>Rejected by the retina specialist{c.rejection ? ` on ${formatDateTime(c.rejection.rejected_at)}` : ''}:</strong>{' '}
            {c.rejection ? REJECTION_LABELS[c.rejection.reason] : 'no reason recorded'}.
          </p>
          {c.rejection?.text && <blockquote>{c.rejection.text}</blockquote>}
          <p>
            <strong>What to do:</strong> {c.rejection ? REJECTION_NEXT_STEP[c.rejection.reason] : 'Send a new case with what was missing.'}
          </p>
        </div>
      )}
      {c.findings && (
        <>
          <h2>Findings</h2>
          <table className="clinical-table findings">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Finding</span>
                </th>
                <th scope="col">OD (right)</th>
                <th scope="col">OS (left)</th>
              </tr>
            </thead>
            <tbody>
              {findingRows.map(([label, show]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td>{show(c.findings!.od, c.findings!.os, c.findings!.glaucoma_override_reason)}</td>
                  <td>{show(c.findings!.os, c.findings!.od, c.findings!.glaucoma_override_reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {c.findings.glaucoma_override_reason && (
            <p data-testid="glaucoma-override">
              <strong>Glaucoma not suspected despite the cup-to-disc ratio:</strong> {c.findings.glaucoma_override_reason}
            </p>
          )}
          <p>
            <strong>Recommendation:</strong> {c.findings.recommendation}
            {c.findings.rescreen_months ? ` Screen again in ${c.findings.rescreen_months} months (${addMonths(c.visit_date, c.findings.rescreen_months)}).` : ''}
          </p>
        </>
      )}
      {c.report_url && (
        <p>
          <a className="button primary" href={c.report_url} download={`report-${c.id}.pdf`}>
            Download the report (PDF)
          </a>
        </p>
      )}
    </section>
  );
}

/** More photographs for a pending case: what a reader asked for, or what was not sent yet. */
function AddPhotographs({ caseId, onAdded }: { caseId: number; onAdded: (c: StaffCase) => void }) {
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const form = new FormData();
      for (const file of files) form.append('images[]', file, file.name);
      await api.post(`/staff/cases/${caseId}/images`, form);
      onAdded(await api.get<StaffCase>(`/staff/cases/${caseId}`));
      setFiles([]);
      setMessage('Photographs added.');
    } catch (caught) {
      setErrors(fieldErrors(caught));
      setMessage(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="add-photos" onSubmit={(e) => void submit(e)} aria-label="Add photographs">
      <label>
        Add photographs (JPEG, PNG or TIFF) or DICOM files
        <input
          type="file"
          name="images"
          accept={ACCEPTED_TYPES.join(',')}
          multiple
          onChange={(e) => {
            setFiles([...(e.target.files ?? [])]);
            setErrors({});
          }}
        />
      </label>
      {files.length > 0 && (
        <ul className="files" aria-label="Photographs to add">
          {files.map((file, i) => (
            <li key={`${file.name}-${i}`} aria-invalid={`images[${i}]` in errors}>
              {file.name}
              {errors[`images[${i}]`] && <span className="field-error"> {errors[`images[${i}]`]!.replace(/^Photograph \d+/, 'This file')}</span>}
            </li>
          ))}
        </ul>
      )}
      {Object.entries(errors)
        .filter(([field]) => !/^images\[\d+\]$/.test(field) || Number(field.slice(7, -1)) >= files.length)
        .map(([field, text]) => (
          <p key={field} className="field-error">
            {text}
          </p>
        ))}
      <button type="submit" className="primary" disabled={busy || files.length === 0}>
        Add {files.length > 0 ? `${files.length} ` : ''}photograph{files.length === 1 ? '' : 's'}
      </button>
      {message && <p role="status">{message}</p>}
    </form>
  );
}

const findingRows: readonly (readonly [string, (e: EyeGrading, fellow: EyeGrading, glaucomaReason: string | null) => string])[] = [
  ['Image quality', (e) => QUALITY_LABELS[e.quality]],
  ['Diabetic retinopathy', (e) => (e.dr ? DR_LABELS[e.dr] : '—')],
  ['Macular oedema', (e) => (e.dme ? DME_LABELS[e.dme] : '—')],
  ['AMD', (e) => (e.amd ? AMD_LABELS[e.amd] : '—')],
  ['Cup-to-disc ratio', (e) => (e.vertical_cdr === null ? '—' : String(e.vertical_cdr))],
  // As the PDF says it: a "no" against the cup-to-disc rule comes with the reader's reason (shown below the table).
  ['Glaucoma suspect', (e, fellow, reason) => ({ suspected: 'Yes', overridden: 'No (see the reason below)', not_suspected: 'No' })[glaucomaStatement(e, fellow.vertical_cdr, reason)]],
];
