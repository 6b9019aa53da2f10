import { type FormEvent, type ReactNode, createContext, useCallback, useContext, useEffect, useId, useRef, useState } from 'react';
import { ApiError, api, fieldErrors, messageOf } from '../api.js';
import { ErrorSummary, controlOfField } from '../ErrorSummary.js';
import type { AdminCenter } from '../api-types.js';

interface FormState {
  readonly errors: Readonly<Record<string, string>>;
  /** Unique per form: several forms on one page keep their error ids apart. */
  readonly prefix: string;
}

const FormContext = createContext<FormState>({ errors: {}, prefix: '' });

/**
 * An administration form: it sends its values through `onSubmit` and shows
 * every refusal at once, in a summary above the form (which takes the focus)
 * and beside each field the server named.
 */
export function AdminForm({
  label,
  summaryTitle,
  submitLabel,
  onSubmit,
  children,
  resetOnSuccess = false,
  className,
}: {
  /** The form's accessible name. */
  label: string;
  summaryTitle: string;
  submitLabel: string;
  onSubmit: (values: FormData) => Promise<void>;
  children: ReactNode;
  resetOnSuccess?: boolean;
  className?: string;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  const prefix = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setErrors({});
    setError(null);
    try {
      await onSubmit(new FormData(form));
      if (resetOnSuccess) form.reset();
    } catch (caught) {
      setErrors(fieldErrors(caught));
      setError(caught instanceof ApiError && caught.fields.length > 0 ? null : messageOf(caught));
    } finally {
      setBusy(false);
    }
  };
  const items = Object.entries(errors).map(([key, message]) => ({ key, message }));
  return (
    <form className={className ?? 'admin-form'} aria-label={label} onSubmit={submit} noValidate ref={ref}>
      <FormContext.Provider value={{ errors, prefix }}>
        <ErrorSummary title={summaryTitle} items={items} locate={(key) => controlOfField(ref.current, key)} focusKey={errors} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {children}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </FormContext.Provider>
    </form>
  );
}

/** The message the server gave a field of the enclosing form, and the attributes that tie it to its control. */
function useFieldError(name: string) {
  const { errors, prefix } = useContext(FormContext);
  const message = errors[name];
  const id = `${prefix}-${name}-error`;
  return {
    id,
    control: { 'aria-invalid': message !== undefined, 'aria-describedby': message === undefined ? undefined : id },
    node: message === undefined ? null : (
      <span className="field-error" id={id}>
        {message}
      </span>
    ),
  };
}

/**
 * One labelled control with its hint and its error below it, both tied to
 * it by aria-describedby, so that the control's name stays its label alone.
 */
function Labelled({ name, label, hint, render }: { name: string; label: string; hint?: string; render: (attributes: Record<string, unknown>) => ReactNode }) {
  const { id: errorId, control, node } = useFieldError(name);
  const controlId = `${errorId}-control`;
  const hintId = `${errorId}-hint`;
  const describedBy = [hint ? hintId : null, control['aria-describedby'] ?? null].filter((x) => x !== null).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={controlId}>{label}</label>
      {render({ id: controlId, name, 'aria-invalid': control['aria-invalid'], 'aria-describedby': describedBy })}
      {hint && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
      {node}
    </div>
  );
}

export function Field({
  name,
  label,
  type = 'text',
  defaultValue,
  hint,
  autoComplete,
}: {
  name: string;
  label: string;
  type?: string;
  defaultValue?: string | null;
  hint?: string;
  autoComplete?: string;
}) {
  return <Labelled name={name} label={label} hint={hint} render={(a) => <input {...a} type={type} defaultValue={defaultValue ?? ''} autoComplete={autoComplete ?? 'off'} />} />;
}

export function TextArea({ name, label, defaultValue, hint }: { name: string; label: string; defaultValue?: string | null; hint?: string }) {
  return <Labelled name={name} label={label} hint={hint} render={(a) => <textarea {...a} rows={3} defaultValue={defaultValue ?? ''} />} />;
}

export function Select({
  name,
  label,
  options,
  defaultValue,
}: {
  name: string;
  label: string;
  options: readonly (readonly [value: string, label: string])[];
  defaultValue?: string;
}) {
  return (
    <Labelled
      name={name}
      label={label}
      render={(a) => (
        <select {...a} defaultValue={defaultValue}>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** The centers of the organisation as checkboxes named `center_ids`. */
export function CenterChoices({ centers, checked = [], legend = 'Centers' }: { centers: readonly AdminCenter[]; checked?: readonly number[]; legend?: string }) {
  const { control, node } = useFieldError('center_ids');
  return (
    <fieldset className="checks" data-field="center_ids" {...control}>
      <legend>{legend}</legend>
      {centers.map((c) => (
        <label key={c.id} className="check">
          <input type="checkbox" name="center_ids" value={c.id} defaultChecked={checked.includes(c.id)} /> {c.name}
        </label>
      ))}
      {node}
    </fieldset>
  );
}

/** A form's text value, trimmed; undefined when empty. */
export function textOf(values: FormData, name: string): string | undefined {
  const value = values.get(name);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The center ids ticked in a form. */
export function centerIdsOf(values: FormData): number[] {
  return values.getAll('center_ids').map(Number);
}

/** A secret or password to show once: what it is, and its values by label. */
export interface Shown {
  readonly title: string;
  readonly lines: readonly (readonly [label: string, value: string])[];
}

/**
 * What an administration page says about its last action: done, refused, or
 * a secret shown once. `act` runs an action (loading the list, a row's
 * button): it shows the sentence the action returns (null: none), or its
 * refusal.
 */
export function usePageMessages() {
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const act = useCallback(async (work: () => Promise<string | null>) => {
    setError(null);
    try {
      const said = await work();
      if (said !== null) setDone(said);
    } catch (caught) {
      setDone(null);
      setError(messageOf(caught));
    }
  }, []);
  const messages = (
    <>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {shown && <ShownOnce title={shown.title} lines={shown.lines} onDismiss={() => setShown(null)} />}
    </>
  );
  return { act, messages, setDone, setShown };
}

/** An administration page's list (`GET path`), loaded at once and again by `load`, with the page's messages. */
export function useAdminList<T>(path: string) {
  const page = usePageMessages();
  const [items, setItems] = useState<readonly T[] | null>(null);
  const { act } = page;
  const load = useCallback(
    () =>
      void act(async () => {
        setItems(await api.get<T[]>(path));
        return null;
      }),
    [act, path],
  );
  useEffect(load, [load]);
  return { ...page, items, load };
}

/** The organisation's centers, for naming them and choosing among them (none while loading). */
export function useCenters(): readonly AdminCenter[] {
  const [centers, setCenters] = useState<readonly AdminCenter[]>([]);
  useEffect(() => {
    api.get<AdminCenter[]>('/admin/centers').then(setCenters, () => undefined);
  }, []);
  return centers;
}

/** A page's list as a table: its columns, and (with `actions`) a last column of buttons named for screen readers. */
export function ListTable({ caption, columns, actions = false, className = 'list', children }: { caption: string; columns: readonly string[]; actions?: boolean; className?: string; children: ReactNode }) {
  return (
    <table className={className}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
          {actions && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** A part of a page: a form to make something, or the one to change the row chosen (with Cancel). */
export function Section({ title, children, onCancel }: { title: string; children: ReactNode; onCancel?: () => void }) {
  return (
    <div className="admin-section">
      <h2>{title}</h2>
      {children}
      {onCancel && (
        <button type="button" className="link" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}

/** A secret or password shown once: it says so, and offers nothing to recover it. */
export function ShownOnce({ title, lines, onDismiss }: { title: string; lines: readonly (readonly [label: string, value: string])[]; onDismiss: () => void }) {
  return (
    <div className="notice shown-once" role="status">
      <p>
        <strong>{title}</strong> Copy it now: it is shown only this once.
      </p>
      <dl>
        {lines.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <code>{value}</code>
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onDismiss}>
        Done
      </button>
    </div>
  );
}

export const LANGUAGE_OPTIONS = [
  ['en', 'English'],
  ['es', 'Spanish'],
] as const;

export const ROLE_OPTIONS = [
  ['staff', 'Center staff'],
  ['reader', 'Reader (retina specialist)'],
  ['admin', 'Administrator'],
] as const;

export const roleLabel = (role: string) => ROLE_OPTIONS.find(([value]) => value === role)?.[1] ?? role;
