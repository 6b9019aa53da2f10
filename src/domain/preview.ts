/**
 * Reduced copies of an image for reading: made once in the background, so
 * that opening a case sends a few hundred kilobytes per photograph instead of
 * the camera's megabytes. The original is always kept and always servable.
 */
export const IMAGE_VARIANTS = ['preview', 'thumb'] as const;
export type ImageVariant = (typeof IMAGE_VARIANTS)[number];

/** What a reader may ask for: a variant, or the original bytes. */
export const SERVED_VARIANTS = ['original', ...IMAGE_VARIANTS] as const;
export type ServedVariant = (typeof SERVED_VARIANTS)[number];

export interface VariantSpec {
  /** The longer side in pixels; smaller images keep their size. */
  readonly longSide: number;
  /** JPEG quality (libjpeg scale). */
  readonly quality: number;
}

/**
 * `preview`: sharp on a typical 2–4 K screen at full width, and enough to
 * see microaneurysms when zoomed a little; the original serves deeper zoom.
 * `thumb`: worklists, the side-by-side strip and the PDF.
 */
export const VARIANT_SPECS: Readonly<Record<ImageVariant, VariantSpec>> = {
  preview: { longSide: 2048, quality: 82 },
  thumb: { longSide: 384, quality: 80 },
};

/** A variant that exists, as a reader's client sees it. */
export interface VariantInfo {
  readonly width: number;
  readonly height: number;
  readonly size: number;
  readonly contentType: string;
}

export type ReadyVariants = Partial<Record<ImageVariant, VariantInfo>>;

export const PREVIEW_JOB_STATES = ['pending', 'ready', 'failed'] as const;
export type PreviewJobState = (typeof PREVIEW_JOB_STATES)[number];

/** Attempts before a job is marked failed (the original is still served). */
export const PREVIEW_MAX_ATTEMPTS = 4;

/**
 * Wait before attempt `attempt + 1`, after `attempt` failed: 30 s, 2 min,
 * 8 min. An undecodable file fails every time, so a few tries suffice; a
 * passing problem (disk full, a restart) gets minutes to clear.
 */
export function previewRetryDelayMs(attempt: number): number {
  return 30_000 * 4 ** Math.max(0, attempt - 1);
}

export type JobOutcome =
  | { readonly state: 'ready' }
  | { readonly state: 'failed' }
  | { readonly state: 'pending'; readonly nextAttemptAt: string };

/** After a failed attempt: try again later, or give up. */
export function outcomeAfterFailure(attempts: number, now: Date): JobOutcome {
  if (attempts >= PREVIEW_MAX_ATTEMPTS) return { state: 'failed' };
  return { state: 'pending', nextAttemptAt: new Date(now.getTime() + previewRetryDelayMs(attempts)).toISOString() };
}
