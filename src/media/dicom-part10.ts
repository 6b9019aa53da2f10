/**
 * A DICOM Part 10 file (PS3.10 7.1) around a data set received over the
 * network, where it travels without one: the 128-byte preamble, `DICM`, and
 * the file meta information (group 0002, always explicit VR little endian)
 * naming its SOP class and instance, its transfer syntax, who wrote the file
 * and which AE sent it. What follows is the data set as it came, in its own
 * transfer syntax. The result is what an HTTP upload of the same file is: the
 * intake reads it the same way, and the clinic downloads it as a file.
 */
export interface Part10Meta {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  /** The calling AE title of the association it came on. */
  readonly sourceAeTitle: string;
}

/** Ours (a UUID-derived UID, PS3.5 B.2): names the software that wrote the file meta information. */
export const IMPLEMENTATION_CLASS_UID = '2.25.144290710750843315001834165285421325232';
export const IMPLEMENTATION_VERSION_NAME = 'OPENRETINA';

export function part10Header(meta: Part10Meta): Buffer {
  const elements = Buffer.concat([
    element(0x0001, 'OB', Buffer.from([0x00, 0x01])),
    element(0x0002, 'UI', uid(meta.sopClassUid)),
    element(0x0003, 'UI', uid(meta.sopInstanceUid)),
    element(0x0010, 'UI', uid(meta.transferSyntaxUid)),
    element(0x0012, 'UI', uid(IMPLEMENTATION_CLASS_UID)),
    element(0x0013, 'SH', text(IMPLEMENTATION_VERSION_NAME)),
    element(0x0016, 'AE', text(meta.sourceAeTitle)),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(elements.length);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'ascii'), element(0x0000, 'UL', groupLength), elements]);
}

/** OB, OW, OF, SQ, UT and UN have a 4-byte length after 2 reserved bytes; the rest a 2-byte length. */
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function element(tagElement: number, vr: string, value: Buffer): Buffer {
  const long = LONG_VRS.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(0x0002, 0);
  head.writeUInt16LE(tagElement, 2);
  head.write(vr, 4, 'ascii');
  if (long) head.writeUInt32LE(value.length, 8);
  else head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}

/** UIDs are padded to an even length with NUL, text values with a space (PS3.5 6.2). */
function uid(value: string): Buffer {
  const bytes = Buffer.from(value.trim(), 'ascii');
  return bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.from([0])]);
}

function text(value: string): Buffer {
  const bytes = Buffer.from(value, 'ascii');
  return bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.from(' ')]);
}
