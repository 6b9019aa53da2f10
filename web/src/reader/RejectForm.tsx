import { type FormEvent, useState } from 'react';
import { REJECTION_REASONS } from '../../../src/domain/grading.js';
import { REJECTION_LABELS } from '../labels.js';

/**
 * Rejecting sends the case back to the center; asking for new photographs
 * keeps it open until the center sends them. Both need a reason from the
 * list, and words when it is "other".
 */
export function RejectForm({
  action = 'reject',
  errors,
  busy,
  onSubmit,
  onCancel,
}: {
  action?: 'reject' | 'request';
  errors: Record<string, string>;
  busy: boolean;
  onSubmit: (body: { reason: string; text: string }) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [text, setText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ reason, text });
  };
  return (
    <form className="reject" onSubmit={submit} aria-label={action === 'reject' ? 'Reject the case' : 'Ask for new photographs'}>
      <fieldset className="radios" aria-invalid={'reason' in errors}>
        <legend>{action === 'reject' ? 'Why can the case not be read?' : 'What must the center send again?'}</legend>
        {REJECTION_REASONS.map((r) => (
          <label key={r}>
            <input type="radio" name="reason" value={r} checked={reason === r} onChange={() => setReason(r)} />
            {REJECTION_LABELS[r]}
          </label>
        ))}
        {errors.reason && <span className="field-error">{errors.reason}</span>}
      </fieldset>
      <label>
        Explanation for the center
        <textarea name="text" value={text} onChange={(e) => setText(e.target.value)} rows={3} aria-invalid={'text' in errors} />
        {errors.text && <span className="field-error">{errors.text}</span>}
      </label>
      <p className="actions">
        <button type="submit" className={action === 'reject' ? 'danger' : 'primary'} disabled={busy}>
          {action === 'reject' ? 'Reject the case' : 'Ask for new photographs'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </p>
    </form>
  );
}
