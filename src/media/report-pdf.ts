import { loadPdfDocument, loadSharp } from './libraries.js';
import type { Derivation } from '../domain/case.js';
import type { EyeGrading } from '../domain/grading.js';
import { type Refraction, addMonths, findingLines, formatDate, formatDateTime, formatNumber, refractionText, reportText } from '../domain/report-text.js';

export interface EyeClinicalData extends Refraction {
  readonly va: number | null;
  readonly iop: number | null;
}

/** Everything the PDF shows, gathered by the service. */
export interface ReportDocument {
  /** The center's: the report's words, and how its dates and numbers are written. */
  readonly language: string;
  /** IANA time zone of the center: the signing time is its local time. */
  readonly timezone: string;
  readonly centerName: string;
  /** Printed under its name at the top right, line by line; null: none. */
  readonly centerAddress: string | null;
  /** `anonymised`: the readers' copy, without the name and history number (readers never see who the patient is). */
  readonly patient: { readonly name: string | null; readonly historyNumber: string | null; readonly age: number | null; readonly gender: number | null; readonly diabetes: number | null; readonly anonymised?: boolean };
  readonly caseId: number;
  readonly visitDate: string;
  readonly od: { readonly clinical: EyeClinicalData; readonly grading: EyeGrading };
  readonly os: { readonly clinical: EyeClinicalData; readonly grading: EyeGrading };
  /** Image bytes (a stored thumbnail or the original) and the eye each shows; the PDF's thumbnails are made from them here. */
  readonly images: readonly { readonly bytes: Buffer; readonly eye: 'od' | 'os' | null }[];
  readonly derivation: Derivation;
  /** Why glaucoma is not suspected in an eye whose cup-to-disc ratio suggests it. */
  readonly glaucomaOverrideReason: string | null;
  readonly recommendation: string;
  readonly rescreenMonths: number | null;
  readonly reader: { readonly name: string; readonly licence: string | null };
  readonly signedAt: string;
  readonly version: number;
  /** Why this version replaced the previous one (null for version 1). */
  readonly amendReason: string | null;
}

const COLOURS: Readonly<Record<Derivation, string>> = { normal: '#2e7d32', routine: '#1565c0', preferential: '#ef6c00', urgent: '#c62828' };

/** Small JPEG thumbnails, no metadata (sharp drops EXIF unless asked to keep it). */
async function thumbnails(images: ReportDocument['images']): Promise<{ thumb: Buffer; eye: 'od' | 'os' | null }[]> {
  const sharp = await loadSharp();
  return Promise.all(
    images.slice(0, 6).map(async ({ bytes, eye }) => ({
      thumb: await sharp(bytes, { failOn: 'none' }).rotate().resize(360, 270, { fit: 'inside' }).jpeg({ quality: 80 }).toBuffer(),
      eye,
    })),
  );
}

/**
 * Renders the one-page screening report in the center's language: its words,
 * its dates and numbers (`+1,25 D`, `14 de marzo de 2026`), the signing time
 * on the center's clock. What the case does not have (no refraction, no
 * images, no rescreen interval) is left out rather than printed as dashes.
 */
export async function renderReportPdf(doc: ReportDocument): Promise<Buffer> {
  const text = reportText(doc.language);
  const [thumbs, PDFDocument] = await Promise.all([thumbnails(doc.images), loadPdfDocument()]);
  const pdf = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `${text.title} #${doc.caseId}`, Producer: 'openretina', CreationDate: new Date(doc.signedAt) } });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const left = 40;
  const width = pdf.page.width - 80;

  // One line above the title: a long name is set smaller (down to 10 pt), then cut with an ellipsis; beside an address it has less room.
  const nameWidth = doc.centerAddress === null ? width : width / 2 + 60;
  let nameSize = 16;
  pdf.font('Helvetica-Bold');
  while (nameSize > 10 && pdf.fontSize(nameSize).widthOfString(doc.centerName) > nameWidth) nameSize -= 1;
  pdf.fontSize(nameSize).text(doc.centerName, left, 40 + (16 - nameSize) / 2, { width: nameWidth, height: nameSize + 2, ellipsis: true });
  if (doc.centerAddress !== null) {
    // Beside the name, above the rule at y 80: at most four lines of 8 pt fit (domain/center.ts keeps addresses to that).
    pdf.font('Helvetica').fontSize(8).fillColor('#333333').text(doc.centerAddress, left + width / 2 + 70, 40, { width: width / 2 - 70, align: 'right', height: 38, ellipsis: true });
    pdf.fillColor('#000000');
  }
  pdf.font('Helvetica').fontSize(12).text(text.title, left, 60);
  pdf.moveTo(left, 80).lineTo(left + width, 80).stroke('#999999');

  const p = doc.patient;
  const item = (label: string, value: string | null | undefined) => (value === null || value === undefined ? [] : [`${label}: ${value}`]);
  // Who the patient is on one line, the visit on the next, so that the line's end does not cut the visit's items.
  pdf.fontSize(10).fillColor('#000000');
  const identity = p.anonymised ? [`${text.patient}: ${text.anonymised}`] : [...item(text.patient, p.name), ...item(text.historyNumber, p.historyNumber)];
  const visit = [
    ...item(text.age, p.age === null ? null : formatNumber(text, p.age, 0)),
    ...item(text.gender, p.gender === null ? null : text.genders[p.gender]),
    ...item(text.diabetes, p.diabetes === null ? null : text.yesNo[p.diabetes]),
    `${text.visitDate}: ${formatDate(text, doc.visitDate)}`,
  ];
  pdf.text(identity.join('    '), left, 88, { width });
  pdf.text(visit.join('    '), left, pdf.y + 1, { width });

  let y = Math.max(125, pdf.y + 10);
  const columns: ['od' | 'os', string][] = [
    ['od', text.rightEye],
    ['os', text.leftEye],
  ];
  const columnWidth = width / 2 - 10;
  let bottom = y;
  for (const [index, [eye, title]] of columns.entries()) {
    const x = left + index * (columnWidth + 20);
    const data = doc[eye];
    let cy = y;
    pdf.font('Helvetica-Bold').fontSize(11).text(title, x, cy, { width: columnWidth });
    cy += 16;
    const c = data.clinical;
    const fellow = doc[eye === 'od' ? 'os' : 'od'].grading;
    const measured = [...item(text.va, c.va === null ? null : formatNumber(text, c.va)), ...item(text.iop, c.iop === null ? null : formatNumber(text, c.iop, 1))];
    const clinical = [...(measured.length > 0 ? [measured.join('   ')] : []), ...item(text.refraction, refractionText(text, c))];
    pdf.font('Helvetica').fontSize(9);
    for (const line of clinical) {
      pdf.text(line, x, cy, { width: columnWidth });
      cy = pdf.y + 1;
    }
    if (clinical.length > 0) cy += 5;
    pdf.font('Helvetica-Bold').fontSize(9).text(text.findings, x, cy, { width: columnWidth });
    cy = pdf.y + 2;
    pdf.font('Helvetica').fontSize(9);
    for (const [label, value] of findingLines(text, data.grading, fellow.vertical_cdr, doc.glaucomaOverrideReason)) {
      pdf.text(`${label}: ${value}`, x, cy, { width: columnWidth });
      cy = pdf.y + 1;
    }
    bottom = Math.max(bottom, cy);
  }

  y = bottom + 10;
  if (thumbs.length > 0) {
    pdf.font('Helvetica-Bold').fontSize(9).text(text.images, left, y);
    y += 14;
    const thumbWidth = (width - 10 * 2) / 3;
    // Each thumbnail says which eye it shows: a report read without the images beside it must not swap them.
    const rowHeight = thumbWidth * 0.75 + 20;
    thumbs.forEach(({ thumb, eye }, i) => {
      const x = left + (i % 3) * (thumbWidth + 10);
      const top = y + Math.floor(i / 3) * rowHeight;
      pdf.image(thumb, x, top, { fit: [thumbWidth, thumbWidth * 0.75] });
      pdf.font('Helvetica').fontSize(8).fillColor('#333').text(eye === null ? text.eyeUnknown : text.eyeCaption[eye], x, top + thumbWidth * 0.75 + 3, { width: thumbWidth });
    });
    pdf.fillColor('black');
    y += Math.ceil(thumbs.length / 3) * rowHeight + 4;
  }

  const meaning = text.derivations[doc.derivation];
  pdf.rect(left, y, width, 46).fill(COLOURS[doc.derivation]);
  pdf.fillColor('#ffffff').font('Helvetica-Bold').fontSize(14).text(`${text.derivation}: ${meaning.label}`, left + 10, y + 8, { width: width - 20 });
  pdf.font('Helvetica').fontSize(10).text(meaning.meaning, left + 10, y + 28, { width: width - 20 });
  y += 56;

  pdf.fillColor('#000000').font('Helvetica-Bold').fontSize(10).text(text.recommendation, left, y);
  pdf.font('Helvetica').fontSize(10).text(doc.recommendation, left, pdf.y + 2, { width });
  if (doc.rescreenMonths !== null) {
    pdf.text(`${text.rescreen(doc.rescreenMonths)} ${text.nextScreening(formatDate(text, addMonths(doc.visitDate, doc.rescreenMonths)))}`, left, pdf.y + 2, { width });
  }

  y = Math.max(pdf.y + 14, pdf.page.height - 130);
  pdf.moveTo(left, y).lineTo(left + width, y).stroke('#999999');
  pdf.fontSize(9).text([`${text.signedBy}: ${doc.reader.name}`, ...item(text.licence, doc.reader.licence)].join('    '), left, y + 8, { width });
  pdf.text(`${text.signedAt}: ${formatDateTime(text, doc.signedAt, doc.timezone)}`, left, pdf.y + 2, { width });
  pdf.text(`${text.version(doc.version)}    #${doc.caseId}`, left, pdf.y + 2, { width });
  if (doc.amendReason !== null) pdf.text(`${text.amendReason}: ${doc.amendReason}`, left, pdf.y + 2, { width });
  pdf.fillColor('#555555').fontSize(8).text(text.caveat, left, pdf.y + 6, { width });
  pdf.end();
  return done;
}
