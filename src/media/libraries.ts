import type PDFKit from 'pdfkit';

type SharpFactory = typeof import('sharp');
type PdfDocumentClass = typeof PDFKit;

/**
 * sharp (libvips) and pdfkit are loaded by the first image or PDF that needs
 * them, not when the process starts: an API process that only streams
 * uploads and answers JSON never does, and the two cost about 18 MB of
 * resident memory idle (`bench/README.md`, intake memory). Each loads once;
 * every caller after the first gets the same module.
 */
let sharpLoading: Promise<SharpFactory> | null = null;
let pdfLoading: Promise<PdfDocumentClass> | null = null;
/** libvips threads wanted for this process; applied when sharp loads, or at once if it has. */
let imageThreads: number | null = null;
let loadedSharp: SharpFactory | null = null;

export function loadSharp(): Promise<SharpFactory> {
  sharpLoading ??= import('sharp').then(({ default: sharp }) => {
    loadedSharp = sharp;
    applyImageSettings(sharp);
    return sharp;
  });
  return sharpLoading;
}

export function loadPdfDocument(): Promise<PdfDocumentClass> {
  pdfLoading ??= import('pdfkit').then(({ default: PDFDocument }) => PDFDocument);
  return pdfLoading;
}

/**
 * libvips worker threads for every sharp pipeline of this process. One keeps
 * preview making to about one core, leaving the other to the API on a small
 * machine. Process-wide (libvips settings), so the PDF's thumbnails share it,
 * and libvips' operation cache is dropped: every image is rendered once.
 */
export function limitImageThreads(threads: number): void {
  imageThreads = threads;
  if (loadedSharp) applyImageSettings(loadedSharp);
}

function applyImageSettings(sharp: SharpFactory): void {
  if (imageThreads !== null) sharp.concurrency(imageThreads);
  sharp.cache(false);
}
