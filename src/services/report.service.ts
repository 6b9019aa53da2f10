import { buffer } from 'node:stream/consumers';
import type { Case } from '../domain/case.js';
import type { Eye } from '../domain/eyes.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { ReportVersionRecord } from '../storage/repositories/report.repository.js';
import { renderReportPdf } from '../media/report-pdf.js';
import type { ServiceContext } from './context.js';
import { ReportCache, type ReportDownload, uncachedDownload } from './report-cache.js';

/**
 * Who a PDF is for: the center gets the patient as it knows them; readers
 * get the same report with the name and history number left out, since
 * cases reach them anonymised.
 */
export type ReportAudience = 'center' | 'reader';

/**
 * The signed report as a PDF: rendered once per version and audience and
 * kept in the blob store, so every download of a version is the same document.
 */
export class ReportService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly cache: ReportCache = new ReportCache(ctx.config.reportCacheBytes),
  ) {}

  static keyOf(caseId: number, version: number, audience: ReportAudience = 'center'): string {
    return `${ReportService.prefixOf(caseId)}v${version}${audience === 'reader' ? '.reader' : ''}.pdf`;
  }

  /** The folder of a case's PDFs, every version and audience (erasure lists it). */
  static prefixOf(caseId: number): string {
    return `reports/${caseId}/`;
  }

  /** The case whose PDF a key of `keyOf` holds; null for any other key (housekeeping). */
  static caseOfKey(key: string): number | null {
    const match = /^reports\/(\d+)\//.exec(key);
    return match ? Number(match[1]) : null;
  }

  /** The PDF of a version of the case's signed report (the current one by default). */
  async pdfOf(c: Case, version?: number, audience: ReportAudience = 'center'): Promise<ReportDownload> {
    return this.download(c, () => Promise.resolve(c), version, audience);
  }

  /**
   * The same from what an access check found of the case (its status and
   * report version): a download of a PDF already rendered needs no more of
   * the case; `load` fetches the whole case only when the PDF must be made.
   * Recent downloads are kept in memory (services/report-cache.ts).
   */
  async download(found: ReportState, load: () => Promise<Case>, version?: number, audience: ReportAudience = 'center'): Promise<ReportDownload> {
    const current = requireReported(found);
    if (version !== undefined && (version < 1 || version > current)) throw new NotFoundError('Report version');
    const key = ReportService.keyOf(found.id, version ?? current, audience);
    const kept = this.cache.get(key);
    if (kept) return kept;
    if (await this.ctx.blobs.exists(key)) return this.cache.put(key, await buffer(await this.ctx.blobs.get(key)));
    const pdf = await this.render(await load(), version ?? current, audience);
    await this.ctx.blobs.put(key, [pdf]);
    // Kept only once read back from the store: two processes rendering a version at once each made their own
    // bytes (the PDF's creation date), and the store keeps one; every process must answer that one.
    return uncachedDownload(pdf);
  }

  /** Every version of the case's signed report, oldest first. */
  async versionsOf(c: Case): Promise<ReportVersionRecord[]> {
    requireReported(c);
    return this.ctx.repos.reports.listVersions(this.ctx.db, c.id);
  }

  private async render(c: Case, version: number, audience: ReportAudience): Promise<Buffer> {
    const { db, repos, blobs } = this.ctx;
    const report = await repos.reports.findVersionForRendering(db, c.id, version);
    if (!report) throw new Error(`report ${c.id} v${version} not found`);
    const images: { bytes: Buffer; eye: Eye | null }[] = [];
    // Right eye first, then left, then any whose eye is not known: the order a reader expects.
    // An image that cannot be decoded has no thumbnail and would break the PDF: left out.
    const ordered = c.images.filter((i) => i.status !== 'unreadable').sort((a, b) => EYE_ORDER[a.eye ?? 'unknown'] - EYE_ORDER[b.eye ?? 'unknown']);
    for (const image of ordered.slice(0, 6)) {
      // The stored thumbnail when it is ready: no original decoded for the PDF.
      const thumb = await repos.previews.findVariant(db, image.id, 'thumb');
      const stored = thumb ? { blobKey: thumb.blobKey, range: undefined } : await repos.cases.originalOfImage(db, image.id);
      if (stored) images.push({ bytes: await buffer(await blobs.get(stored.blobKey, stored.range)), eye: image.eye });
    }
    const i = c.intake;
    const name = [i.first_name, i.last_name].filter((s) => s !== null).join(' ');
    const clinical = (eye: 'od' | 'os') => ({
      va: i[`${eye}_va`],
      iop: i[`${eye}_iop`],
      sphere: i[`${eye}_sphere`],
      cylinder: i[`${eye}_cylinder`],
      axis: i[`${eye}_axis`],
      add: i[`${eye}_add`],
      prism: i[`${eye}_prism`],
      prismBase: i[`${eye}_prism_base`],
    });
    return renderReportPdf({
      language: report.language,
      timezone: report.timezone ?? this.ctx.config.defaultTimezone,
      centerName: report.centerName,
      centerAddress: report.centerAddress,
      caseId: c.id,
      patient: { name: name === '' ? null : name, historyNumber: i.history_number, age: i.age, gender: i.gender, diabetes: i.diabetes, anonymised: audience === 'reader' },
      visitDate: i.visit_date,
      od: { clinical: clinical('od'), grading: report.od },
      os: { clinical: clinical('os'), grading: report.os },
      images,
      derivation: report.derivation,
      glaucomaOverrideReason: report.glaucomaOverrideReason,
      recommendation: report.recommendation,
      rescreenMonths: report.rescreenMonths,
      reader: { name: report.readerName, licence: report.readerLicence },
      signedAt: report.signedAt,
      version,
      amendReason: report.amendReason,
    });
  }
}

const EYE_ORDER: Readonly<Record<Eye | 'unknown', number>> = { od: 0, os: 1, unknown: 2 };

/** What a download needs to know of a case before its PDF: which case, and whether and at which version it is reported. */
export type ReportState = Pick<Case, 'id' | 'status' | 'reportVersion'>;

/** A case has a report once signed: its current version; pending and rejected cases have none (409). */
function requireReported(c: ReportState): number {
  if (c.status === 'rejected') throw new ConflictError('case_rejected', 'The case was rejected; there is no report');
  if (c.status !== 'reported' || c.reportVersion === null) throw new ConflictError('report_not_ready', 'The case has not been reported yet');
  return c.reportVersion;
}
