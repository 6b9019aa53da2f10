import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dicomParser from 'dicom-parser';
import { IMPLEMENTATION_CLASS_UID, part10Header } from '../../src/media/dicom-part10.js';
import { readDicomHeader } from '../../src/media/dicom-header.js';

/** An explicit VR little endian element with a short length, its text in UTF-8 (the data set says ISO_IR 192). */
function element(group: number, tag: number, vr: string, value: string, pad = ' '): Buffer {
  const raw = Buffer.from(value, 'utf8');
  const bytes = raw.length % 2 === 0 ? raw : Buffer.concat([raw, Buffer.from(pad, 'latin1')]);
  const head = Buffer.alloc(8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(tag, 2);
  head.write(vr, 4, 'ascii');
  head.writeUInt16LE(bytes.length, 6);
  return Buffer.concat([head, bytes]);
}

describe('a Part 10 file around a data set received over the network', () => {
  it('has the preamble, DICM and file meta information that dicom-parser reads, and the data set after it', () => {
    const dataset = Buffer.concat([
      element(0x0008, 0x0005, 'CS', 'ISO_IR 192'),
      element(0x0008, 0x0020, 'DA', '20260102'),
      element(0x0010, 0x0010, 'PN', 'Muñoz^José'),
      element(0x0010, 0x0020, 'LO', 'HN-7'),
      element(0x0020, 0x000d, 'UI', '1.2.3.4.5', '\0'),
    ]);
    const header = part10Header({ sopClassUid: '1.2.840.10008.5.1.4.1.1.7', sopInstanceUid: '1.2.3.4.5.6.7', transferSyntaxUid: '1.2.840.10008.1.2.1', sourceAeTitle: 'CAMERA' });
    const file = Buffer.concat([header, dataset]);
    assert.equal(file.subarray(128, 132).toString('ascii'), 'DICM');
    const parsed = dicomParser.parseDicom(file);
    assert.equal(parsed.string('x00020002'), '1.2.840.10008.5.1.4.1.1.7');
    assert.equal(parsed.string('x00020003'), '1.2.3.4.5.6.7');
    assert.equal(parsed.string('x00020010'), '1.2.840.10008.1.2.1');
    assert.equal(parsed.string('x00020012'), IMPLEMENTATION_CLASS_UID);
    assert.equal(parsed.string('x00020016'), 'CAMERA');
    assert.equal(parsed.uint32('x00020000'), header.length - 132 - 12, 'the group length counts the elements after it');
    assert.deepEqual(readDicomHeader(file), { studyInstanceUid: '1.2.3.4.5', patientId: 'HN-7', patientName: 'Muñoz^José', studyDate: '20260102' });
  });

  it('refuses what is not a DICOM file', () => {
    assert.throws(() => readDicomHeader(Buffer.from('not dicom at all')), /not a readable DICOM file/);
  });
});
