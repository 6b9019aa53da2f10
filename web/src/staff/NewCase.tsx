import { type DragEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api, fieldErrors, messageOf } from '../api.js';
import { ErrorSummary, type SummaryItem, controlOfField } from '../ErrorSummary.js';
import { navigate } from '../router.js';
import { ACCEPTED_TYPES, sortFiles } from './photo-files.js';
import type { Center } from './types.js';


interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly type?: 'text' | 'number' | 'date';
  readonly step?: string;
}

const PATIENT: readonly FieldSpec[] = [
  { name: 'history_number', label: 'History number', hint: 'Or first and last name' },
  { name: 'first_name', label: 'First name' },
  { name: 'last_name', label: 'Last name' },
  { name: 'age', label: 'Age (years)', type: 'number' },
  { name: 'visit_date', label: 'Visit date', type: 'date' },
];

const PER_EYE: readonly FieldSpec[] = [
  { name: 'va', label: 'Visual acuity', hint: 'decimal, or 20/40' },
  { name: 'iop', label: 'IOP (mmHg)' },
  { name: 'sphere', label: 'Sphere (D)' },
  { name: 'cylinder', label: 'Cylinder (D)' },
  { name: 'axis', label: 'Axis (°)' },
];

const NOTES: readonly FieldSpec[] = [
  { name: 'visit_reason', label: 'Reason for the visit' },
  { name: 'ophthalmic_antecedents', label: 'Ophthalmic history' },
  { name: 'other_relevant_info', label: 'Other relevant information' },
  { name: 'retinologist_notes', label: 'Notes for the reader' },
];

/** A chosen photograph, with a key of its own: its error stays with it when another file is removed. */
interface ChosenFile {
  readonly key: string;
  readonly file: File;
}

/** A refused file's message, with its name instead of its place in the request ("Photograph 2"). */
function fileMessage(message: string, file: File): string {
  return message.replace(/^Photograph \d+/, `“${file.name}”`);
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * A new case: the intake fields of POST /cases, one of the staff member's
 * centers, and the photographs dropped on the page or chosen with the file
 * input. The API checks everything and names every bad field; each message
 * appears beside its field. One Idempotency-Key per form: a double submit
 * or a retry after a network error cannot make two cases.
 */
export function NewCase() {
  const [centers, setCenters] = useState<readonly Center[]>([]);
  const [files, setFiles] = useState<readonly ChosenFile[]>([]);
  const [dragging, setDragging] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  /** Refusals of files, by the file's key (the server names them `images[n]`, n their place in the request sent). */
  const [fileErrors, setFileErrors] = useState<Record<string, string>>({});
  const formRef = useRef<HTMLFormElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useRef(crypto.randomUUID());
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api.get<Center[]>('/staff/centers').then(setCenters, (e: unknown) => setError(messageOf(e)));
  }, []);

  const addFiles = async (list: FileList | null) => {
    if (!list) return;
    const { accepted, refused } = await sortFiles([...list]);
    setFiles((current) => [...current, ...accepted.map((file) => ({ key: crypto.randomUUID(), file }))]);
    if (refused.length > 0) setError(`Only JPEG, PNG and TIFF photographs and DICOM files can be added: not ${refused.map((f) => f.name).join(', ')}.`);
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    void addFiles(event.dataTransfer.files);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = new FormData();
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string' && value.trim() !== '') body.append(name, value.trim());
    }
    const sent = [...files];
    for (const { file } of sent) body.append('images[]', file, file.name);
    setBusy(true);
    setErrors({});
    setFileErrors({});
    setError(null);
    try {
      const id = await api.post<number>('/staff/cases', body, { 'idempotency-key': idempotencyKey.current });
      navigate(`/cases/${id}`);
    } catch (caught) {
      // Every refusal at once: each file's beside that file (whatever is removed later), the others beside their fields.
      const byField: Record<string, string> = {};
      const byFile: Record<string, string> = {};
      for (const [field, message] of Object.entries(fieldErrors(caught))) {
        const place = /^images\[(\d+)\]$/.exec(field);
        const chosen = place ? sent[Number(place[1])] : undefined;
        if (chosen) byFile[chosen.key] = fileMessage(message, chosen.file);
        else byField[field] = message;
      }
      setErrors(byField);
      setFileErrors(byFile);
      setError(caught instanceof ApiError && caught.fields.length > 0 ? null : messageOf(caught));
      // A refused form stored nothing: the next attempt is a new request.
      if (caught instanceof ApiError && caught.status >= 400 && caught.status < 500) idempotencyKey.current = crypto.randomUUID();
      setBusy(false);
    }
  };

  const field = (spec: FieldSpec, name = spec.name) => (
    <label key={name}>
      {spec.label}
      <input
        name={name}
        type={spec.type ?? 'text'}
        inputMode={spec.type === 'number' ? 'numeric' : undefined}
        defaultValue={name === 'visit_date' ? today() : undefined}
        aria-invalid={name in errors}
        aria-describedby={name in errors ? `${name}-error` : undefined}
      />
      {spec.hint && <span className="hint">{spec.hint}</span>}
      <FieldError errors={errors} name={name} />
    </label>
  );
  const imageErrors = Object.entries(errors).filter(([name]) => name.startsWith('images'));
  const remaining = files.filter((f) => f.key in fileErrors);
  const summary: SummaryItem[] = [
    ...Object.entries(errors).map(([key, message]) => ({ key, message })),
    ...remaining.map((f) => ({ key: `file:${f.key}`, message: fileErrors[f.key]! })),
  ];
  const locate = (key: string) =>
    key.startsWith('file:') ? formRef.current?.querySelector<HTMLElement>(`[data-file-key="${key.slice(5)}"]`) ?? null : controlOfField(formRef.current, key);

  return (
    <section aria-labelledby="new-case-title">
      <h1 id="new-case-title">New case</h1>
      <form className="new-case" onSubmit={submit} noValidate ref={formRef}>
        <ErrorSummary title="The case was not sent. Please correct:" items={summary} locate={locate} focusKey={fileErrors} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <fieldset>
          <legend>Patient</legend>
          <div className="grid">
            <label>
              Center
              <select name="center_id" aria-invalid={'center_id' in errors} defaultValue="">
                {centers.length !== 1 && <option value="">Choose…</option>}
                {centers.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              <FieldError errors={errors} name="center_id" />
            </label>
            {PATIENT.map((spec) => field(spec))}
            <Choice name="gender" legend="Gender" options={[['1', 'Female'], ['0', 'Male']]} errors={errors} />
            <Choice name="diabetes" legend="Diabetes" options={[['1', 'Yes'], ['0', 'No']]} errors={errors} />
          </div>
        </fieldset>
        <fieldset>
          <legend>Eyes</legend>
          <div className="eye-grid">
            <span />
            <strong>OD (right)</strong>
            <strong>OS (left)</strong>
            {PER_EYE.map((spec) => (
              <Row key={spec.name} spec={spec} render={(eye) => field({ ...spec, label: `${eye === 'od' ? 'OD' : 'OS'} ${spec.label}` }, `${eye}_${spec.name}`)} />
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>Photographs</legend>
          <div
            className={`dropzone${dragging ? ' dragging' : ''}`}
            data-testid="dropzone"
            onDragEnter={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragOver={(e) => e.preventDefault()}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <p>Drop the fundus photographs here (JPEG, PNG, TIFF, or the camera’s DICOM files), right eye first.</p>
            <button type="button" onClick={() => fileInput.current?.click()}>
              Choose files…
            </button>
            <input ref={fileInput} type="file" accept={ACCEPTED_TYPES.join(',')} multiple hidden onChange={(e) => void addFiles(e.target.files)} aria-label="Photographs" />
          </div>
          {files.length > 0 && (
            <ol className="files" aria-label="Photographs to send">
              {files.map(({ key, file }) => (
                <li key={key} data-file-key={key} aria-invalid={key in fileErrors}>
                  {file.name} <span className="muted">({Math.round(file.size / 1024)} KiB)</span>{' '}
                  <button
                    type="button"
                    className="small"
                    onClick={() => setFiles(files.filter((f) => f.key !== key))}
                    aria-label={`Remove ${file.name}`}
                    aria-describedby={key in fileErrors ? `file-${key}-error` : undefined}
                  >
                    Remove
                  </button>
                  {fileErrors[key] && (
                    <span className="field-error" id={`file-${key}-error`}>
                      {' '}
                      {fileErrors[key]}
                    </span>
                  )}
                </li>
              ))}
            </ol>
          )}
          {imageErrors
            .filter(([name]) => !/^images\[\d+\]$/.test(name))
            .map(([name, message]) => (
              <p key={name} className="field-error">
                {message}
              </p>
            ))}
        </fieldset>
        <fieldset>
          <legend>Notes</legend>
          {NOTES.map((spec) => (
            <label key={spec.name}>
              {spec.label}
              <textarea name={spec.name} rows={2} aria-invalid={spec.name in errors} />
              <FieldError errors={errors} name={spec.name} />
            </label>
          ))}
        </fieldset>
        <p className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send the case'}
          </button>
        </p>
      </form>
    </section>
  );
}

function Row({ spec, render }: { spec: FieldSpec; render: (eye: 'od' | 'os') => React.ReactNode }) {
  return (
    <>
      <span className="row-label">{spec.label}</span>
      {render('od')}
      {render('os')}
    </>
  );
}

/** A coded intake field (0/1) as labelled radios. */
function Choice({ name, legend, options, errors }: { name: string; legend: string; options: readonly (readonly [string, string])[]; errors: Record<string, string> }) {
  return (
    <fieldset className="radios inline" aria-invalid={name in errors}>
      <legend>{legend}</legend>
      {options.map(([value, label]) => (
        <label key={value}>
          <input type="radio" name={name} value={value} /> {label}
        </label>
      ))}
      <FieldError errors={errors} name={name} />
    </fieldset>
  );
}

function FieldError({ errors, name }: { errors: Record<string, string>; name: string }) {
  const message = errors[name];
  return message ? (
    <span className="field-error" id={`${name}-error`}>
      {message}
    </span>
  ) : null;
}
