import { type KeyboardEvent, type PointerEvent, useCallback, useEffect, useRef, useState } from 'react';
import { type ReadingImage, detailFor, readingImageUrl } from '../images.js';

/** Display adjustments shared by every pane of a case. */
export interface Adjustments {
  /** 1 = unchanged. */
  readonly brightness: number;
  readonly contrast: number;
  /** Show the green channel only (red-free), where vessels and haemorrhages stand out. */
  readonly redFree: boolean;
}

export const NO_ADJUSTMENTS: Adjustments = { brightness: 1, contrast: 1, redFree: false };

interface View {
  /** Screen pixels per original image pixel. */
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

/** Deepest zoom: four screen pixels per image pixel (full resolution is 1). */
const MAX_SCALE = 4;
const STEP = 1.25;

/**
 * One photograph in a pane that zooms (wheel, buttons, + − 0 1 keys) around
 * the pointer or the centre and pans (drag, arrow keys), up to and beyond
 * full resolution. It starts with the preview and adds the original on top
 * once the zoom asks for more pixels than the preview has.
 */
export function ImageViewer({ caseId, image, label, adjust }: { caseId: number; image: ReadingImage; label: string; adjust: Adjustments }) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [view, setView] = useState<View | null>(null); // null: fit to the pane
  const drag = useRef<{ id: number; x: number; y: number } | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const fitScale = size.width > 0 ? Math.min(size.width / image.width, size.height / image.height) : 0;
  const current: View = view ?? {
    scale: fitScale,
    x: (size.width - image.width * fitScale) / 2,
    y: (size.height - image.height * fitScale) / 2,
  };
  const minScale = Math.min(fitScale, 1) * 0.5;
  // The fitted view changes with the pane's size; zooming starts from whatever is shown.
  const shown = useRef(current);
  shown.current = current;

  const zoomAt = useCallback(
    (factor: number, cx: number, cy: number) => {
      setView((previous) => {
        const from = previous ?? shown.current;
        const scale = Math.min(MAX_SCALE, Math.max(minScale, from.scale * factor));
        const ratio = scale / from.scale;
        return { scale, x: cx - (cx - from.x) * ratio, y: cy - (cy - from.y) * ratio };
      });
    },
    [minScale],
  );
  const zoomCentre = (factor: number) => zoomAt(factor, size.width / 2, size.height / 2);
  const actualSize = () => zoomAt(1 / current.scale, size.width / 2, size.height / 2);
  const pan = (dx: number, dy: number) => setView({ ...current, x: current.x + dx, y: current.y + dy });

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = element.getBoundingClientRect();
      zoomAt(event.deltaY < 0 ? STEP : 1 / STEP, event.clientX - rect.left, event.clientY - rect.top);
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [zoomAt]);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { id: event.pointerId, x: event.clientX, y: event.clientY };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start || start.id !== event.pointerId) return;
    drag.current = { id: start.id, x: event.clientX, y: event.clientY };
    pan(event.clientX - start.x, event.clientY - start.y);
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const actions: Record<string, () => void> = {
      '+': () => zoomCentre(STEP),
      '=': () => zoomCentre(STEP),
      '-': () => zoomCentre(1 / STEP),
      '0': () => setView(null),
      '1': actualSize,
      ArrowLeft: () => pan(60, 0),
      ArrowRight: () => pan(-60, 0),
      ArrowUp: () => pan(0, 60),
      ArrowDown: () => pan(0, -60),
    };
    const action = actions[event.key];
    if (action && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      action();
    }
  };

  const filter = [adjust.redFree ? 'url(#red-free)' : '', `brightness(${adjust.brightness})`, `contrast(${adjust.contrast})`].join(' ');
  const style = {
    width: image.width,
    height: image.height,
    transform: `translate(${current.x}px, ${current.y}px) scale(${current.scale})`,
    filter,
  };
  const detail = detailFor(image, current.scale);
  return (
    <figure className="viewer">
      <figcaption>
        <span>{label}</span>
        <span className="zoom-controls" role="group" aria-label={`Zoom ${label}`}>
          <button type="button" className="small" onClick={() => zoomCentre(1 / STEP)} aria-label="Zoom out">
            −
          </button>
          <output aria-live="polite">{Math.round(current.scale * 100)}%</output>
          <button type="button" className="small" onClick={() => zoomCentre(STEP)} aria-label="Zoom in">
            +
          </button>
          <button type="button" className="small" onClick={() => setView(null)}>
            Fit
          </button>
          <button type="button" className="small" onClick={actualSize} title="Full resolution: one image pixel per screen pixel">
            1:1
          </button>
        </span>
      </figcaption>
      <div
        ref={box}
        className="viewport"
        tabIndex={0}
        role="img"
        aria-label={`${label}, ${image.width}×${image.height}. Keys: + and − zoom, 0 fits, 1 full resolution, arrows pan.`}
        data-scale={current.scale.toFixed(3)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={onKeyDown}
      >
        {size.width > 0 && (
          <>
            <img src={readingImageUrl(caseId, image.id, 'preview')} alt="" draggable={false} style={style} />
            {detail === 'original' && <img src={readingImageUrl(caseId, image.id, 'original')} alt="" draggable={false} style={style} />}
          </>
        )}
      </div>
    </figure>
  );
}
