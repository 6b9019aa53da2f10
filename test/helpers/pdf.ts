import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** The text of a PDF as `pdftotext` (poppler-utils) reads it, whitespace collapsed. */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-pdf-'));
  try {
    const file = path.join(dir, 'report.pdf');
    await fs.writeFile(file, pdf);
    const { stdout } = await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', file, '-']);
    return stdout.replace(/\s+/g, ' ');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
