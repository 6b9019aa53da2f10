import { type FormEvent, type KeyboardEvent, useRef, useState } from 'react';
import { ErrorSummary, controlOfField } from '../ErrorSummary.js';
import type { Derivation } from '../../../src/domain/case.js';
import {
  AMD_GRADES,
  DME_GRADES,
  DR_GRADES,
  type EyeGrading,
  HYPERTENSIVE_GRADES,
  IMAGE_QUALITY,
  OTHER_FINDINGS,
  conclusionNotRestated,
  glaucomaOverrides,
  glaucomaSuggested,
  suggestDerivation,
} from '../../../src/domain/grading.js';
import { DERIVATIONS } from '../../../src/domain/case.js';
import { LANGUAGE_NAMES, type ReportLanguage } from '../../../src/domain/center.js';
import { STANDARD_RECOMMENDATIONS } from '../../../src/domain/report-text.js';
import {
  AMD_LABELS,
  DERIVATION_LABELS,
  DERIVATION_MEANING,
  DME_LABELS,
  DR_LABELS,
  HYPERTENSIVE_LABELS,
  OTHER_FINDING_LABELS,
  QUALITY_LABELS,
} from '../labels.js';
import type { ReportVersion } from './types.js';

type Eye = 'od' | 'os';

/** One eye as the form holds it: nothing chosen until the reader chooses. */
interface EyeDraft {
  quality: EyeGrading['quality'] | null;
  dr: EyeGrading['dr'];
  dme: EyeGrading['dme'];
  amd: EyeGrading['amd'];
  hypertensive: EyeGrading['hypertensive'];
  vertical_cdr: string;
  /** null: the reader has not said, so the cup-to-disc rule decides (as on the server). */
  glaucoma_suspect: boolean | null;
  other_findings: EyeGrading['other_findings'];
  other_text: string;
}

const EMPTY_EYE: EyeDraft = {
  quality: null,
  dr: null,
  dme: null,
  amd: null,
  hypertensive: null,
  vertical_cdr: '',
  glaucoma_suspect: null,
  other_findings: [],
  other_text: '',
};

const NORMAL_EYE: EyeDraft = { ...EMPTY_EYE, quality: 'good', dr: 'none', dme: 'absent', amd: 'none', hypertensive: 'none' };

function draftOf(grading: EyeGrading): EyeDraft {
  return {
    quality: grading.quality,
    dr: grading.dr,
    dme: grading.dme,
    amd: grading.amd,
    hypertensive: grading.hypertensive,
    vertical_cdr: grading.vertical_cdr === null ? '' : String(grading.vertical_cdr),
    glaucoma_suspect: grading.glaucoma_suspect,
    other_findings: grading.other_findings,
    other_text: grading.other_text ?? '',
  };
}

function cdrOf(text: string): number | null {
  const value = Number(text.replace(',', '.'));
  return text.trim() === '' || Number.isNaN(value) ? null : value;
}

/** Whether glaucoma is suspected as the form shows it: the reader's answer, or else what the cup-to-disc rule suggests. */
function suspectShown(d: EyeDraft, fellowCdr: number | null): boolean {
  return d.glaucoma_suspect ?? glaucomaSuggested(cdrOf(d.vertical_cdr), fellowCdr);
}

/** The draft as the grading rule reads it (an unanswered quality counts as gradable). */
function asGrading(d: EyeDraft, fellowCdr: number | null): EyeGrading {
  return { ...d, quality: d.quality ?? 'good', vertical_cdr: cdrOf(d.vertical_cdr), glaucoma_suspect: suspectShown(d, fellowCdr), other_text: d.other_text.trim() || null };
}

/** The body of POST …/sign and …/amend. */
export interface ReportBody {
  od: Record<string, unknown>;
  os: Record<string, unknown>;
  derivation?: Derivation;
  override_reason?: string;
  glaucoma_override_reason?: string;
  recommendation: string;
  rescreen_months?: number;
  amend_reason?: string;
  confirm_unchanged?: boolean;
}

function eyeBody(g: EyeGrading): Record<string, unknown> {
  return {
    quality: g.quality,
    dr: g.dr,
    dme: g.dme,
    amd: g.amd,
    hypertensive: g.hypertensive,
    vertical_cdr: g.vertical_cdr,
    glaucoma_suspect: g.glaucoma_suspect,
    other_findings: g.other_findings,
    other_text: g.other_text,
  };
}

const RESCREEN_CHOICES = [3, 6, 12, 24] as const;

/**
 * Structured grading per eye (the scales of src/domain/grading.ts), the
 * derivation the rule suggests as the reader grades, an override with a
 * reason, the recommendation and the rescreen interval. Every control is a
 * labelled native input, so Tab, arrow keys and Space grade a case;
 * Ctrl+Enter submits.
 */
export function GradingForm({
  mode,
  language,
  initial,
  errors,
  busy,
  onSubmit,
  onSubmitAndNext,
}: {
  mode: 'sign' | 'amend';
  /** The center's report language: the standard wording offered is in it. */
  language: ReportLanguage;
  initial?: ReportVersion;
  errors: Record<string, string>;
  busy: boolean;
  onSubmit: (body: ReportBody) => void;
  /** Sign, then open the next case of the worklist (signing only). */
  onSubmitAndNext?: (body: ReportBody) => void;
}) {
  const [eyes, setEyes] = useState<Record<Eye, EyeDraft>>(
    initial ? { od: draftOf(initial.od), os: draftOf(initial.os) } : { od: EMPTY_EYE, os: EMPTY_EYE },
  );
  const [chosen, setChosen] = useState<Derivation | ''>(initial && initial.derivation !== initial.suggested_derivation ? initial.derivation : '');
  const [overrideReason, setOverrideReason] = useState(initial?.override_reason ?? '');
  const [recommendation, setRecommendation] = useState(initial?.recommendation ?? '');
  const [rescreen, setRescreen] = useState(initial?.rescreen_months ? String(initial.rescreen_months) : '');
  const [amendReason, setAmendReason] = useState('');
  const [glaucomaReason, setGlaucomaReason] = useState(initial?.glaucoma_override_reason ?? '');
  const [confirmUnchanged, setConfirmUnchanged] = useState(false);

  const od = asGrading(eyes.od, cdrOf(eyes.os.vertical_cdr));
  const os = asGrading(eyes.os, cdrOf(eyes.od.vertical_cdr));
  // As the server reads a grading it signs: each eye's glaucoma answer stands (a "no" against the rule needs its reason).
  const suggested = suggestDerivation(od, os, { glaucomaAsGraded: true });
  const derivation = chosen === '' ? suggested : chosen;
  const overridden = derivation !== suggested;
  const glaucomaOverridden = glaucomaOverrides(od, os);
  const rescreenMonths = rescreen === '' ? null : Number(rescreen);
  // An amendment that changes the derivation but keeps the advice of the version it replaces: the reader confirms it still holds.
  const unchangedAdvice =
    mode === 'amend' &&
    initial !== undefined &&
    conclusionNotRestated(
      { derivation: initial.derivation, recommendation: initial.recommendation, rescreenMonths: initial.rescreen_months },
      { derivation, recommendation, rescreenMonths },
    );
  const standardWording = STANDARD_RECOMMENDATIONS[language];
  const update = (eye: Eye, change: Partial<EyeDraft>) => setEyes((all) => ({ ...all, [eye]: { ...all[eye], ...change } }));

  const formRef = useRef<HTMLFormElement>(null);
  // Nothing graded suggests nothing: an untouched form is not "normal".
  const nothingGraded = [eyes.od, eyes.os].every((d) => JSON.stringify(d) === JSON.stringify(EMPTY_EYE));

  const submit = (event?: FormEvent, then?: 'next') => {
    event?.preventDefault();
    if (busy) return;
    (then === 'next' && onSubmitAndNext ? onSubmitAndNext : onSubmit)({
      od: eyeBody(od),
      os: eyeBody(os),
      ...(overridden ? { derivation, override_reason: overrideReason } : {}),
      ...(glaucomaOverridden.length > 0 ? { glaucoma_override_reason: glaucomaReason } : {}),
      recommendation,
      ...(rescreenMonths === null ? {} : { rescreen_months: rescreenMonths }),
      ...(mode === 'amend' ? { amend_reason: amendReason } : {}),
      ...(unchangedAdvice && confirmUnchanged ? { confirm_unchanged: true } : {}),
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit(undefined, event.shiftKey ? 'next' : undefined);
    }
  };

  const errorList = Object.entries(errors).map(([key, message]) => ({ key, message }));
  return (
    <form ref={formRef} className="grading" onSubmit={submit} onKeyDown={onKeyDown} aria-label={mode === 'sign' ? 'Grading' : 'Amend the report'} noValidate>
      <ErrorSummary title={`The report cannot be ${mode === 'sign' ? 'signed' : 'amended'} yet:`} items={errorList} locate={(field) => controlOfField(formRef.current, field)} focusKey={errors} />
      <div className="eyes">
        {(['od', 'os'] as const).map((eye) => (
          <EyeFields key={eye} eye={eye} draft={eyes[eye]} fellowCdr={cdrOf(eyes[eye === 'od' ? 'os' : 'od'].vertical_cdr)} errors={errors} onChange={(c) => update(eye, c)} />
        ))}
      </div>
      {glaucomaOverridden.length > 0 && (
        <label>
          Why is glaucoma not suspected in the {glaucomaOverridden.map((e) => (e === 'od' ? 'right' : 'left')).join(' and ')} eye{glaucomaOverridden.length > 1 ? 's' : ''}? (The
          cup-to-disc ratio suggests it.)
          <textarea
            name="glaucoma_override_reason"
            value={glaucomaReason}
            onChange={(e) => setGlaucomaReason(e.target.value)}
            rows={2}
            aria-invalid={'glaucoma_override_reason' in errors}
          />
          <FieldError errors={errors} field="glaucoma_override_reason" />
        </label>
      )}
      <p className="quick">
        <button type="button" className="small" onClick={() => setEyes({ od: NORMAL_EYE, os: NORMAL_EYE })}>
          Both eyes normal
        </button>
      </p>

      <fieldset className="case-level">
        <legend>Derivation</legend>
        {nothingGraded ? (
          <p className="suggestion" aria-live="polite" data-testid="suggested-derivation">
            Nothing graded yet: the derivation the grades suggest appears here as you grade.
          </p>
        ) : (
          <p className={`suggestion ${suggested}`} aria-live="polite" data-testid="suggested-derivation">
            Suggested by the grades: <strong>{DERIVATION_LABELS[suggested]}</strong> — {DERIVATION_MEANING[suggested]}
          </p>
        )}
        <label>
          Derivation to sign
          <select name="derivation" value={chosen} onChange={(e) => setChosen(e.target.value as Derivation | '')}>
            <option value="">{nothingGraded ? 'As the grades suggest' : `As suggested (${DERIVATION_LABELS[suggested]})`}</option>
            {DERIVATIONS.map((d) => (
              <option key={d} value={d}>
                {DERIVATION_LABELS[d]}
              </option>
            ))}
          </select>
        </label>
        {overridden && (
          <label>
            Why {DERIVATION_LABELS[derivation].toLowerCase()} instead of {DERIVATION_LABELS[suggested].toLowerCase()}?
            <textarea name="override_reason" value={overrideReason} onChange={(e) => setOverrideReason(e.target.value)} rows={2} aria-invalid={'override_reason' in errors} />
            <FieldError errors={errors} field="override_reason" />
          </label>
        )}
        <label>
          Recommendation for the patient
          <textarea name="recommendation" value={recommendation} onChange={(e) => setRecommendation(e.target.value)} rows={3} aria-invalid={'recommendation' in errors} placeholder={nothingGraded && chosen === '' ? undefined : standardWording[derivation]} />
          <FieldError errors={errors} field="recommendation" />
        </label>
        <p className="quick">
          <button type="button" className="small" onClick={() => setRecommendation(standardWording[derivation])} title={`In ${LANGUAGE_NAMES[language]}, the center's language`}>
            Standard wording
          </button>{' '}
          <span className="muted" data-testid="wording-language">
            in {LANGUAGE_NAMES[language]}
          </span>
        </p>
        <label>
          Screen again in
          <select name="rescreen_months" value={rescreen} onChange={(e) => setRescreen(e.target.value)} aria-invalid={'rescreen_months' in errors}>
            <option value="">—</option>
            {RESCREEN_CHOICES.map((m) => (
              <option key={m} value={m}>
                {m} months
              </option>
            ))}
          </select>
          <FieldError errors={errors} field="rescreen_months" />
        </label>
        {unchangedAdvice && (
          <label className="check notice warning" data-testid="confirm-unchanged">
            <input type="checkbox" name="confirm_unchanged" checked={confirmUnchanged} onChange={(e) => setConfirmUnchanged(e.target.checked)} />
            The derivation changes from {DERIVATION_LABELS[initial!.derivation].toLowerCase()} to {DERIVATION_LABELS[derivation].toLowerCase()}, but the recommendation and the
            interval are those of version {initial!.version}. Rewrite them, or tick to confirm they still hold.
          </label>
        )}
        {mode === 'amend' && (
          <label>
            Why is the report amended?
            <textarea name="amend_reason" value={amendReason} onChange={(e) => setAmendReason(e.target.value)} rows={2} aria-invalid={'amend_reason' in errors} />
            <FieldError errors={errors} field="amend_reason" />
          </label>
        )}
      </fieldset>
      <p className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {mode === 'sign' ? 'Sign report' : 'Sign amended report'}
        </button>
        <span className="muted"> Ctrl+Enter</span>
        {onSubmitAndNext && (
          <>
            <button type="button" disabled={busy} onClick={() => submit(undefined, 'next')}>
              Sign and open the next case
            </button>
            <span className="muted"> Ctrl+Shift+Enter</span>
          </>
        )}
      </p>
    </form>
  );
}

function FieldError({ errors, field }: { errors: Record<string, string>; field: string }) {
  const message = errors[field];
  return message ? <span className="field-error">{message}</span> : null;
}

function EyeFields({
  eye,
  draft,
  fellowCdr,
  errors,
  onChange,
}: {
  eye: Eye;
  draft: EyeDraft;
  fellowCdr: number | null;
  errors: Record<string, string>;
  onChange: (change: Partial<EyeDraft>) => void;
}) {
  const name = eye === 'od' ? 'OD (right eye)' : 'OS (left eye)';
  const suggested = glaucomaSuggested(cdrOf(draft.vertical_cdr), fellowCdr);
  const suspect = suspectShown(draft, fellowCdr);
  return (
    <fieldset className={`eye ${eye}`}>
      <legend>{name}</legend>
      <RadioGroup eye={eye} field="quality" legend="Image quality" values={IMAGE_QUALITY} labels={QUALITY_LABELS} value={draft.quality} errors={errors} onChange={(quality) => onChange({ quality })} />
      <RadioGroup eye={eye} field="dr" legend="Diabetic retinopathy (ICDR)" values={DR_GRADES} labels={DR_LABELS} value={draft.dr} errors={errors} onChange={(dr) => onChange({ dr })} />
      <RadioGroup eye={eye} field="dme" legend="Macular oedema" values={DME_GRADES} labels={DME_LABELS} value={draft.dme} errors={errors} onChange={(dme) => onChange({ dme })} />
      <RadioGroup eye={eye} field="amd" legend="AMD (Beckman)" values={AMD_GRADES} labels={AMD_LABELS} value={draft.amd} errors={errors} onChange={(amd) => onChange({ amd })} />
      <RadioGroup
        eye={eye}
        field="hypertensive"
        legend="Hypertensive retinopathy (Wong–Mitchell)"
        values={HYPERTENSIVE_GRADES}
        labels={HYPERTENSIVE_LABELS}
        value={draft.hypertensive}
        errors={errors}
        onChange={(hypertensive) => onChange({ hypertensive })}
      />
      <div className="row">
        <label>
          Vertical cup-to-disc ratio
          <input
            type="number"
            inputMode="decimal"
            min={0}
            max={1}
            step={0.05}
            value={draft.vertical_cdr}
            onChange={(e) => onChange({ vertical_cdr: e.target.value })}
            aria-invalid={`${eye}.vertical_cdr` in errors}
            name={`${eye}-vertical_cdr`}
          />
          <FieldError errors={errors} field={`${eye}.vertical_cdr`} />
        </label>
        <label className="check">
          <input type="checkbox" checked={suspect} onChange={(e) => onChange({ glaucoma_suspect: e.target.checked })} name={`${eye}-glaucoma_suspect`} />
          Glaucoma suspect
        </label>
      </div>
      {suggested && (
        <p className="hint">
          The cup-to-disc ratio suggests glaucoma (≥ 0.7, or 0.2 more than the other eye){suspect ? '.' : ': say below why it is not suspected.'}
        </p>
      )}
      <details open={draft.other_findings.length > 0}>
        <summary>Other findings{draft.other_findings.length > 0 ? ` (${draft.other_findings.length})` : ''}</summary>
        <div className="checks">
          {OTHER_FINDINGS.map((finding) => (
            <label key={finding} className="check">
              <input
                type="checkbox"
                name={`${eye}-other-${finding}`}
                checked={draft.other_findings.includes(finding)}
                onChange={(e) =>
                  onChange({ other_findings: e.target.checked ? [...draft.other_findings, finding] : draft.other_findings.filter((f) => f !== finding) })
                }
              />
              {OTHER_FINDING_LABELS[finding]}
            </label>
          ))}
        </div>
        <label>
          Describe
          <input type="text" value={draft.other_text} onChange={(e) => onChange({ other_text: e.target.value })} aria-invalid={`${eye}.other_text` in errors} name={`${eye}-other_text`} />
          <FieldError errors={errors} field={`${eye}.other_text`} />
        </label>
      </details>
    </fieldset>
  );
}

function RadioGroup<T extends string>({
  eye,
  field,
  legend,
  values,
  labels,
  value,
  errors,
  onChange,
}: {
  eye: Eye;
  field: string;
  legend: string;
  values: readonly T[];
  labels: Record<T, string>;
  value: T | null;
  errors: Record<string, string>;
  onChange: (value: T) => void;
}) {
  const key = `${eye}.${field}`;
  return (
    <fieldset className="radios" aria-invalid={key in errors} data-field={key}>
      <legend>{legend}</legend>
      {values.map((v) => (
        <label key={v}>
          <input type="radio" name={`${eye}-${field}`} value={v} checked={value === v} onChange={() => onChange(v)} />
          {labels[v]}
        </label>
      ))}
      <FieldError errors={errors} field={key} />
    </fieldset>
  );
}
