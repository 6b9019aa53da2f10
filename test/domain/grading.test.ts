import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type EyeGrading, chooseDerivation, eyeDerivation, glaucomaSuspected, suggestDerivation } from '../../src/domain/grading.js';

const healthy: EyeGrading = {
  quality: 'good',
  dr: 'none',
  dme: 'absent',
  amd: 'none',
  vertical_cdr: 0.3,
  glaucoma_suspect: false,
  hypertensive: 'none',
  other_findings: [],
  other_text: null,
};

describe('derivation rule', () => {
  it('maps each grade to the urgency the rule documents', () => {
    const cases: [Partial<EyeGrading>, string][] = [
      [{}, 'normal'],
      [{ dr: 'mild' }, 'normal'],
      [{ amd: 'early' }, 'normal'],
      [{ hypertensive: 'mild' }, 'normal'],
      [{ dr: 'moderate' }, 'preferential'],
      [{ dme: 'non_centre_involving' }, 'preferential'],
      [{ hypertensive: 'moderate' }, 'preferential'],
      [{ dr: 'severe' }, 'urgent'],
      [{ dr: 'proliferative' }, 'urgent'],
      [{ dme: 'centre_involving' }, 'urgent'],
      [{ amd: 'late_neovascular' }, 'urgent'],
      [{ hypertensive: 'malignant' }, 'urgent'],
      [{ amd: 'intermediate' }, 'routine'],
      [{ amd: 'late_atrophic' }, 'routine'],
      [{ quality: 'ungradable', dr: null, dme: null, amd: null, vertical_cdr: null, hypertensive: null }, 'routine'],
      [{ vertical_cdr: 0.7 }, 'routine'],
      [{ glaucoma_suspect: true }, 'routine'],
      [{ other_findings: ['retinal_detachment'] }, 'urgent'],
      [{ other_findings: ['retinal_vein_occlusion'] }, 'preferential'],
      [{ other_findings: ['choroidal_naevus'] }, 'routine'],
      [{ dr: 'moderate', amd: 'late_neovascular' }, 'urgent'],
    ];
    for (const [change, expected] of cases) assert.equal(eyeDerivation({ ...healthy, ...change }), expected, JSON.stringify(change));
  });

  it('lets the worse eye decide the case', () => {
    assert.equal(suggestDerivation(healthy, healthy), 'normal');
    assert.equal(suggestDerivation(healthy, { ...healthy, dr: 'moderate' }), 'preferential');
    assert.equal(suggestDerivation({ ...healthy, dme: 'centre_involving' }, { ...healthy, dr: 'moderate' }), 'urgent');
  });

  it('suspects glaucoma on a large cup or an asymmetry between the eyes', () => {
    assert.equal(glaucomaSuspected({ ...healthy, vertical_cdr: 0.5 }, 0.3), true, 'asymmetry of 0.2');
    assert.equal(glaucomaSuspected({ ...healthy, vertical_cdr: 0.4 }, 0.3), false);
    assert.equal(suggestDerivation({ ...healthy, vertical_cdr: 0.6 }, { ...healthy, vertical_cdr: 0.3 }), 'routine');
  });

  it('accepts an override only with a reason', () => {
    assert.deepEqual(chooseDerivation('routine', null, null), { derivation: 'routine', overridden: false });
    assert.deepEqual(chooseDerivation('routine', 'routine', null), { derivation: 'routine', overridden: false });
    const missing = chooseDerivation('routine', 'urgent', ' ');
    assert.ok('issue' in missing && missing.issue.field === 'override_reason');
    assert.deepEqual(chooseDerivation('routine', 'urgent', 'sudden vision loss reported'), { derivation: 'urgent', overridden: true });
  });
});
