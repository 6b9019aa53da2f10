import { useState } from 'react';
import type { ReadingImage } from '../images.js';
import { type Adjustments, ImageViewer, NO_ADJUSTMENTS } from './ImageViewer.js';
import { imagesByEye } from './eyes.js';
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
}: {
  caseId: number;
  current: ReadingCase;
  previous: ReadingCase | null;
  adjust: Adjustments;
  onAdjust: (a: Adjustments) => void;
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
      </div>
      <div className="pane-row">
        <EyePane caseId={caseId} images={now.od} label="OD (right eye)" adjust={adjust} />
        <EyePane caseId={caseId} images={now.os} label="OS (left eye)" adjust={adjust} />
      </div>
      {previous && before && (
        <>
          <h2 className="pane-title">Previous visit {previous.visit_date} (case #{previous.id})</h2>
          <div className="pane-row previous">
            <EyePane caseId={caseId} images={before.od} label={`OD ${previous.visit_date}`} adjust={adjust} />
            <EyePane caseId={caseId} images={before.os} label={`OS ${previous.visit_date}`} adjust={adjust} />
          </div>
        </>
      )}
    </section>
  );
}

/** One eye: its photograph in a viewer, and a switch when the eye has several. */
function EyePane({ caseId, images, label, adjust }: { caseId: number; images: readonly ReadingImage[]; label: string; adjust: Adjustments }) {
  const [index, setIndex] = useState(0);
  const image = images[Math.min(index, images.length - 1)];
  if (!image) return <div className="viewer empty">{label}: no image</div>;
  return (
    <div className="eye-pane">
      <ImageViewer key={image.id} caseId={caseId} image={image} label={`${label}${images.length > 1 ? ` · ${index + 1}/${images.length}` : ''}`} adjust={adjust} />
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
