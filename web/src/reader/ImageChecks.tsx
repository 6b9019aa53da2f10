import type { ReadingImage } from '../images.js';

const EYE_WORDS = { od: 'right eye (OD)', os: 'left eye (OS)' } as const;

/**
 * What the automatic checks found in the photograph shown in a pane: its
 * quality in a line, a doubt that it is a fundus photograph, and, standing
 * out, a detected eye that contradicts the one the case gives it (the
 * reader decides; the buttons beside it correct the eye).
 */
export function ImageChecks({ image }: { image: ReadingImage }) {
  const checks = image.checks;
  if (!checks) {
    // Images stored before the checks existed have none; one still being checked will have them shortly.
    return image.status === 'checking' ? (
      <p className="image-checks muted" data-testid={`checks-${image.id}`}>
        Automatic checks: still running
      </p>
    ) : null;
  }
  const { quality, fundus, laterality } = checks;
  return (
    <div className="image-checks" data-testid={`checks-${image.id}`}>
      {laterality.verdict === 'disagrees' && laterality.value !== null && (
        <p className="eye-flag" role="note" aria-label="Eye check disagrees" data-testid={`eye-flag-${image.id}`}>
          <span aria-hidden="true">⚠ </span>
          <strong>
            Looks like the {EYE_WORDS[laterality.value]}, not the {image.eye === null ? 'eye given' : EYE_WORDS[image.eye]}.
          </strong>{' '}
          {laterality.reason}
        </p>
      )}
      <p>
        <span className={`quality-verdict ${quality.verdict}`}>Quality: {quality.verdict}</span>
        {quality.verdict !== 'good' && ` — ${quality.reason}`}
      </p>
      {fundus.verdict === 'not_fundus' && (
        <p className="fundus-doubt">
          <strong>May not be a fundus photograph</strong> — {fundus.reason}
        </p>
      )}
    </div>
  );
}
