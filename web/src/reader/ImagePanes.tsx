import { useState } from 'react';
import type { ReadingImage } from '../images.js';
import { type Adjustments, ImageViewer, NO_ADJUSTMENTS } from './ImageViewer.js';
import { AMD_LABELS, DME_LABELS, DR_LABELS, QUALITY_LABELS, STATUS_LABELS } from '../labels.js';
import { eyeSourceLabel, imagesByEye } from './eyes.js';
import { ImageChecks } from './ImageChecks.js';
import type { ReadingCase } from './types.js';

/**
 * Both eyes side by side, the previous visit's under them (each eye above
 * its own earlier picture), and the display controls they share.
 */
export function ImagePanes({
  caseId,
  current,
  previous,
  adjust,
  onAdjust,
  onSetEye,
  onSwapEyes,
}: {
  caseId: number;
  current: ReadingCase;
  previous: ReadingCase | null;
  adjust: Adjustments;
  onAdjust: (a: Adjustments) => void;
  /** Corrects which eye an image of the current case shows; absent when the case cannot be changed. */
  onSetEye?: (imageId: number, eye: 'od' | 'os') => void;
  onSwapEyes?: () => void;
}) {
  const now = imagesByEye(current.images);
  const before = previous ? imagesByEye(previous.images) : null;
  return (
    <section className="images" aria-label="Images">
      <div className="toolbar" role="group" aria-label="Display">
        <label>
          Brightness
          <input type="range" min={0.5} max={2} step={0.05} value={adjust.brightness} onChange={(e) => onAdjust({ ...adjust, brightness: Number(e.target.value) })} />
        </label>
        <label>
          Contrast
          <input type="range" min={0.5} max={2.5} step={0.05} value={adjust.contrast} onChange={(e) => onAdjust({ ...adjust, contrast: Number(e.target.value) })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={adjust.redFree} onChange={(e) => onAdjust({ ...adjust, redFree: e.target.checked })} />
          Red-free
        </label>
        <button type="button" className="small" onClick={() => onAdjust(NO_ADJUSTMENTS)}>
          Reset
        </button>
        {onSwapEyes && (
          <button type="button" className="small" onClick={onSwapEyes} title="The pair was uploaded the wrong way round">
            Swap eyes
          </button>
        )}
      </div>
      <div className="pane-row">
        <EyePane caseId={caseId} images={now.od} eye="od" label="OD (right eye)" adjust={adjust} onSetEye={onSetEye} />
        <EyePane caseId={caseId} images={now.os} eye="os" label="OS (left eye)" adjust={adjust} onSetEye={onSetEye} />
      </div>
      {previous && before && (
        <>
          <h2 className="pane-title">
            Previous visit {previous.visit_date} (case #{previous.id}){previous.status === 'reported' ? '' : ` · ${STATUS_LABELS[previous.status]}, not reported`}
          </h2>
          <div className="pane-row previous">
            <div>
              <EyePane caseId={caseId} images={before.od} eye="od" label={`OD ${previous.visit_date}`} adjust={adjust} />
              <EarlierGrades findings={previous.findings} eye="od" />
            </div>
            <div>
              <EyePane caseId={caseId} images={before.os} eye="os" label={`OS ${previous.visit_date}`} adjust={adjust} />
              <EarlierGrades findings={previous.findings} eye="os" />
            </div>
          </div>
        </>
      )}
    </section>
  );
}

/** What the earlier report said of one eye, beside its photographs: what to compare with. */
function EarlierGrades({ findings, eye }: { findings: ReadingCase['findings']; eye: 'od' | 'os' }) {
  if (!findings) return <p className="earlier-grades muted">No signed report for this visit.</p>;
  const g = findings[eye];
  const parts = [
    `Quality: ${QUALITY_LABELS[g.quality]}`,
    g.dr && `DR: ${DR_LABELS[g.dr]}`,
    g.dme && `DME: ${DME_LABELS[g.dme]}`,
    g.amd && `AMD: ${AMD_LABELS[g.amd]}`,
    g.vertical_cdr !== null && `CDR ${g.vertical_cdr}`,
  ].filter(Boolean);
  return (
    <p className="earlier-grades" data-testid={`earlier-grades-${eye}`}>
      Then: {parts.join(' · ')}
    </p>
  );
}

/** One eye: its photograph in a viewer, and a switch when the eye has several. */
function EyePane({
  caseId,
  images,
  eye,
  label,
  adjust,
  onSetEye,
}: {
  caseId: number;
  images: readonly ReadingImage[];
  eye: 'od' | 'os';
  label: string;
  adjust: Adjustments;
  onSetEye?: ((imageId: number, eye: 'od' | 'os') => void) | undefined;
}) {
  const [index, setIndex] = useState(0);
  const image = images[Math.min(index, images.length - 1)];
  if (!image) return <div className="viewer empty">{label}: no image</div>;
  return (
    <div className="eye-pane">
      <ImageViewer key={image.id} caseId={caseId} image={image} label={`${label}${images.length > 1 ? ` · ${index + 1}/${images.length}` : ''}`} adjust={adjust} />
      <p className="eye-source" data-testid={`eye-source-${image.id}`}>
        {image.eye === null ? 'Eye not known' : `${image.eye.toUpperCase()}`}: {eyeSourceLabel(image)}
        {onSetEye && (
          <button type="button" className="small" onClick={() => onSetEye(image.id, eye === 'od' ? 'os' : 'od')}>
            This is the {eye === 'od' ? 'left eye (OS)' : 'right eye (OD)'}
          </button>
        )}
        {onSetEye && image.eye === null && (
          <button type="button" className="small" onClick={() => onSetEye(image.id, eye)}>
            Confirm {eye.toUpperCase()}
          </button>
        )}
      </p>
      <ImageChecks image={image} />
      {images.length > 1 && (
        <div className="image-switch" role="group" aria-label={`${label}: photographs`}>
          {images.map((img, i) => (
            <button key={img.id} type="button" className={`small${i === index ? ' active' : ''}`} aria-pressed={i === index} onClick={() => setIndex(i)} title={img.file_name}>
              {i + 1}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
