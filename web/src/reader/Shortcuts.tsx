/** The keys of the reading screen, listed where the reader works (collapsed until opened). */
const SHORTCUTS: readonly (readonly [keys: string, what: string])[] = [
  ['Tab, Shift+Tab', 'next or previous control: scale by scale through the grading form'],
  ['↑ ↓ (or ← →), Space', 'choose a grade within a scale'],
  ['Ctrl+Enter', 'sign the report (or the amendment)'],
  ['Ctrl+Shift+Enter', 'sign and open the next case of the worklist'],
  ['+ −', 'zoom the focused image in or out'],
  ['0', 'fit the image to its pane'],
  ['1', 'full resolution: one image pixel per screen pixel'],
  ['← → ↑ ↓ on an image', 'pan the zoomed image'],
];

export function Shortcuts() {
  return (
    <details className="shortcuts" data-testid="shortcuts">
      <summary>Keyboard shortcuts</summary>
      <dl>
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
