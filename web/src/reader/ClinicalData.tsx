import type { ReadingCase } from './types.js';

type Measure = 'va' | 'iop' | 'sphere' | 'cylinder' | 'axis' | 'add';

const MEASURES: readonly { key: Measure; label: string; unit?: string; signed?: boolean }[] = [
  { key: 'va', label: 'Visual acuity' },
  { key: 'iop', label: 'IOP', unit: 'mmHg' },
  { key: 'sphere', label: 'Sphere', unit: 'D', signed: true },
  { key: 'cylinder', label: 'Cylinder', unit: 'D', signed: true },
  { key: 'axis', label: 'Axis', unit: '°' },
  { key: 'add', label: 'Add', unit: 'D', signed: true },
];

function value(v: number | null | undefined, unit?: string, signed?: boolean): string {
  if (v === null || v === undefined) return '—';
  const text = signed && v > 0 ? `+${v}` : String(v);
  return unit ? `${text} ${unit}` : text;
}

/** The anonymised clinical picture per eye, with the previous visit's values for comparison. */
export function ClinicalData({ c, previous }: { c: ReadingCase; previous: ReadingCase | null }) {
  const notes = [
    ['Reason for the visit', c.visit_reason],
    ['Ophthalmic history', c.ophthalmic_antecedents],
    ['Other relevant information', c.other_relevant_info],
    ['Notes for the reader', c.retinologist_notes],
  ] as const;
  return (
    <section className="clinical" aria-labelledby="clinical-title">
      <h2 id="clinical-title">Clinical data</h2>
      <table className="clinical-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Measurement</span>
            </th>
            <th scope="col">OD</th>
            <th scope="col">OS</th>
          </tr>
        </thead>
        <tbody>
          {MEASURES.map((m) => (
            <tr key={m.key}>
              <th scope="row">{m.label}</th>
              {(['od', 'os'] as const).map((eye) => (
                <td key={eye}>
                  {value(c[`${eye}_${m.key}`], m.unit, m.signed)}
                  {previous && previous[`${eye}_${m.key}`] !== null && previous[`${eye}_${m.key}`] !== undefined && (
                    <span className="previous-value" title={`Previous visit ${previous.visit_date}`}>
                      {' '}
                      (was {value(previous[`${eye}_${m.key}`], m.unit, m.signed)})
                    </span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="notes">
        <dt>Diabetes</dt>
        <dd>{c.diabetes === 1 ? 'Yes' : c.diabetes === 0 ? 'No' : 'Not stated'}</dd>
        {notes
          .filter(([, text]) => text)
          .map(([label, text]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{text}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}
