import { createHash } from 'node:crypto';

/** A report PDF as it is downloaded: its bytes, their SHA-256 (the entity tag) and, once asked for, the JSON answer carrying it in base64. */
export class ReportDownload {
  private json: Buffer | null = null;

  constructor(
    readonly pdf: Buffer,
    readonly sha256: string,
    /** Told how many bytes the JSON answer added, when it is made. */
    private readonly grew: (bytes: number) => void = () => {},
  ) {}

  /** `{"success":true,"content":"<the PDF in base64>"}`, made once: base64 of a 30 KB PDF is most of a download's work. */
  jsonBody(): Buffer {
    if (this.json === null) {
      this.json = Buffer.from(`{"success":true,"content":"${this.pdf.toString('base64')}"}`, 'latin1');
      this.grew(this.json.length);
    }
    return this.json;
  }

  get bytes(): number {
    return this.pdf.length + (this.json?.length ?? 0);
  }
}

/** A download of bytes not kept in memory (rendered just now, or the cache is off or too small for them). */
export function uncachedDownload(pdf: Buffer): ReportDownload {
  return new ReportDownload(pdf, createHash('sha256').update(pdf).digest('hex'));
}

/**
 * Report PDFs downloaded lately, by blob key (case, version, audience: the
 * key names one immutable document; case ids are never reused), within a
 * byte budget (OPENRETINA_REPORT_CACHE_BYTES), least recently used dropped
 * first. An amended report is a new version, hence a new key: an old
 * version's bytes are never answered for the new one.
 */
export class ReportCache {
  private readonly entries = new Map<string, ReportDownload>();
  private used = 0;

  constructor(private readonly budgetBytes: number) {}

  /** Bytes held now: PDFs and the JSON answers made of them. */
  get bytes(): number {
    return this.used;
  }

  get(key: string): ReportDownload | undefined {
    const found = this.entries.get(key);
    if (found === undefined) return undefined;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, found);
    return found;
  }

  /** Keeps the PDF stored under `key` (when it fits the budget at all) and answers it as a download. */
  put(key: string, pdf: Buffer): ReportDownload {
    this.forget(key);
    // A PDF whose base64 answer would not fit either is not kept: half an entry would be dropped at its first JSON download.
    if (pdf.length * 2.4 > this.budgetBytes) return uncachedDownload(pdf);
    const download = new ReportDownload(pdf, createHash('sha256').update(pdf).digest('hex'), (bytes) => {
      if (this.entries.get(key) !== download) return;
      this.used += bytes;
      this.trim(key);
    });
    this.entries.set(key, download);
    this.used += pdf.length;
    this.trim(key);
    return download;
  }

  private forget(key: string): void {
    const found = this.entries.get(key);
    if (found === undefined) return;
    this.entries.delete(key);
    this.used -= found.bytes;
  }

  /** Drops the least recently used entries, never `keep`, until the budget holds. */
  private trim(keep: string): void {
    for (const [key, entry] of this.entries) {
      if (this.used <= this.budgetBytes) return;
      if (key === keep) continue;
      this.entries.delete(key);
      this.used -= entry.bytes;
    }
  }
}
