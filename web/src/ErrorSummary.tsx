import { useEffect, useRef } from 'react';

export interface SummaryItem {
  /** What identifies the control (a request field, or a file's key). */
  readonly key: string;
  /** The server's message: it starts with what the person calls the field. */
  readonly message: string;
}

/**
 * Every refusal of a submit at once, above the form: each a link to its
 * control (whose own message stands beside it too). It takes the focus when
 * it appears after a failed submit, so keyboard and screen-reader users land
 * on what to fix.
 */
export function ErrorSummary({
  title,
  items,
  locate,
  focusKey,
}: {
  title: string;
  items: readonly SummaryItem[];
  /** A new value for each failed submit (the errors object it set): the summary takes the focus then, not while the person edits. */
  focusKey: unknown;
  /** The control (or the group holding it) an item is about; null when the form has none for it. */
  locate: (key: string) => HTMLElement | null;
}) {
  const box = useRef<HTMLDivElement>(null);
  const shown = items.length > 0;
  useEffect(() => {
    if (shown) box.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new submit moves the focus
  }, [focusKey]);
  if (items.length === 0) return null;
  const go = (key: string) => {
    const target = locate(key);
    if (!target) return;
    const control = target.matches('input, select, textarea, button')
      ? target
      : (target.querySelector<HTMLElement>('input:checked, input:not([type=hidden]), select, textarea, button') ?? target);
    target.scrollIntoView({ block: 'center' });
    control.focus();
  };
  return (
    <div className="error error-summary" role="alert" tabIndex={-1} ref={box} aria-labelledby="error-summary-title" data-testid="error-summary">
      <p id="error-summary-title">
        <strong>{title}</strong>
      </p>
      <ul>
        {items.map((item) => (
          <li key={item.key}>
            {locate(item.key) ? (
              <a
                href={`#${item.key}`}
                onClick={(event) => {
                  event.preventDefault();
                  go(item.key);
                }}
              >
                {item.message}
              </a>
            ) : (
              item.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Finds the control of a request field in a form: by data-field, then by name (`od.dr` is the control named `od-dr`). */
export function controlOfField(form: ParentNode | null, field: string): HTMLElement | null {
  if (!form) return null;
  const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;
  return (
    form.querySelector<HTMLElement>(`[data-field=${quoted(field)}]`) ??
    form.querySelector<HTMLElement>(`[name=${quoted(field)}]`) ??
    form.querySelector<HTMLElement>(`[name=${quoted(field.replace('.', '-'))}]`)
  );
}
