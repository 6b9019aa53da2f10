import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ageOfDicom, eyeOfImageLaterality, fillFormFromDicom, genderOfPatientSex, identityOfDicom, normalizedAeTitle, sopClassOf } from '../../src/domain/dicom.js';
import { decideLaterality } from '../../src/domain/eyes.js';

describe('what the intake takes from a DICOM file', () => {
  it('reads ImageLaterality, PatientSex and the SOP class', () => {
    assert.deepEqual(['R', 'L', ' r ', 'B', 'U', undefined].map(eyeOfImageLaterality), ['od', 'os', 'od', null, null, null]);
    assert.deepEqual(['M', 'F', 'O', '', undefined].map(genderOfPatientSex), [0, 1, null, null, null]);
    assert.equal(sopClassOf('1.2.840.10008.5.1.4.1.1.77.1.5.1'), 'ophthalmic_photography');
    assert.equal(sopClassOf('1.2.840.10008.5.1.4.1.1.7'), 'secondary_capture');
    assert.equal(sopClassOf('1.2.840.10008.5.1.4.1.1.2'), null, 'a CT image is no fundus photograph');
    assert.equal(sopClassOf('constructor'), null);
  });

  it('reads an age string, else counts whole years from the birth date to the study date', () => {
    assert.equal(ageOfDicom('061Y', undefined, undefined), 61);
    assert.equal(ageOfDicom('030M', undefined, undefined), 2);
    assert.equal(ageOfDicom('003W', undefined, undefined), 0);
    assert.equal(ageOfDicom('121Y', undefined, undefined), null);
    assert.equal(ageOfDicom(undefined, '19600315', '20240314'), 63, 'the day before the birthday');
    assert.equal(ageOfDicom(undefined, '19600315', '20240315'), 64, 'on the birthday');
    assert.equal(ageOfDicom('61', '19600315', '20240315'), 64, 'a malformed age string falls back to the dates');
    assert.equal(ageOfDicom(undefined, '20250101', '20240101'), null, 'born after the study');
    assert.equal(ageOfDicom(undefined, '1960', '20240101'), null);
  });

  it('fills only the gaps of the form: a value the form sent, even a wrong one, stays', () => {
    const patients = [{ gender: null, age: 61 }, { gender: 1 as const, age: 70 }];
    assert.deepEqual({ ...fillFormFromDicom({ history_number: 'H' }, patients) }, { history_number: 'H', gender: '1', age: '61' });
    assert.deepEqual({ ...fillFormFromDicom({ gender: ' ', age: 'abc' }, patients) }, { gender: '1', age: 'abc' });
    assert.deepEqual({ ...fillFormFromDicom({ gender: '0', age: '40' }, patients) }, { gender: '0', age: '40' });
  });

  it('ranks the DICOM laterality below the client and above the file name', () => {
    const decided = decideLaterality(
      [
        { partEye: 'os', fileName: 'OD.jpg', dicomEye: 'od' },
        { partEye: null, fileName: 'OS.jpg', dicomEye: 'od' },
        { partEye: null, fileName: 'OS.jpg', dicomEye: null },
      ],
      [],
    );
    assert.deepEqual(decided, [
      { eye: 'os', source: 'client' },
      { eye: 'od', source: 'dicom' },
      { eye: 'os', source: 'file_name' },
    ]);
  });
});

describe('what the network intake takes from a DICOM file', () => {
  it('names the patient and the visit from PatientID, PatientName and StudyDate', () => {
    assert.deepEqual(identityOfDicom({ patientId: ' HN-1 ', patientName: 'Doe^Jane^Ann', studyDate: '20260102' }), {
      history_number: 'HN-1',
      last_name: 'Doe',
      first_name: 'Jane Ann',
      visit_date: '2026-01-02',
    });
    assert.deepEqual(identityOfDicom({ patientName: 'Yamada^Tarou=山田^太郎' }), { last_name: 'Yamada', first_name: 'Tarou' }, 'the alphabetic group');
    assert.deepEqual(identityOfDicom({ patientName: '^^', studyDate: '2026-01-02' }), {}, 'empty components and a date that is no DA say nothing');
  });

  it('takes AE titles of 1 to 16 characters without backslash or control characters, trimmed', () => {
    assert.deepEqual(['  CAMERA ', 'A', 'X'.repeat(16), 'X'.repeat(17), '', '   ', 'A\\B', 'A\nB'].map(normalizedAeTitle), [
      'CAMERA',
      'A',
      'X'.repeat(16),
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});
