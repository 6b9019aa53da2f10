import { type Hash, createHash } from 'node:crypto';
import type dicomParser from 'dicom-parser';
import { ByteChunks } from './byte-chunks.js';
import {
  FIRST_HEADER_BYTES,
  FIRST_JPEG_HEADER_BYTES,
  ITEM_TAG,
  JPEG_BASELINE,
  PIXEL_DATA,
  SEQUENCE_DELIMITER_TAG,
  UNDEFINED_LENGTH,
  parseUntilPixelData,
} from './dicom-parsing.js';
import { walkJpegHeader } from './jpeg-segments.js';

/**
 * The first bytes of the photograph kept to read its JPEG header. A header
 * longer than this (a large ICC profile or metadata, which is dropped anyway)
 * is read back from the stored file.
 */
const FRAME_HEAD_BYTES = FIRST_JPEG_HEADER_BYTES;

/** The photograph lies in the file as it is: one fragment of JPEG baseline, with no metadata segment to drop. */
export interface ScannedInPlace {
  readonly kind: 'in_place';
  /** The attributes up to the pixel data, as the scan parsed them (checked by `photographInPlace`). */
  readonly attributes: dicomParser.DataSet;
  readonly offset: number;
  readonly length: number;
  /** The photograph's first bytes, its JPEG header among them. */
  readonly frameHead: Buffer;
  readonly sha256: string | null;
}

/**
 * What a DICOM upload's scan leaves for taking its photograph out: the
 * photograph's place in the file; or the whole file, kept as it came, when it
 * is of a kind read whole (uncompressed pixels, several frames, a header it
 * never finished); or nothing, when the photograph turned out to need
 * putting together (fragments, metadata to drop) or the file to be odd, and
 * the stored file is read back (`read_back`) to extract it, or to say why not.
 */
export type ScannedDicom = ScannedInPlace | { readonly kind: 'kept'; readonly file: ByteChunks } | { readonly kind: 'read_back' };

/**
 * Follows a DICOM upload chunk by chunk as it streams to storage. Until its
 * attributes are read the chunks are kept; a JPEG baseline file of one frame
 * is then walked item by item as it passes, keeping only the first bytes of
 * its photograph. Holding every upload whole until its end kept megabytes
 * alive across collections: about 2 ms of garbage collection per file under
 * load (bench/README.md, peer).
 */
export class DicomUploadScan {
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private nextHeaderTry = FIRST_HEADER_BYTES;
  /** 'header' while the attributes are read, 'kept' once the file is known to be read whole, 'walk' while its pixel items pass. */
  private phase: 'header' | 'kept' | 'walk' | 'done' | 'read_back' = 'header';
  private attributes: dicomParser.DataSet | null = null;
  /** Offset in the file of the first byte not walked yet. */
  private position = 0;
  /** The bytes of an item header split between chunks. */
  private itemHead = Buffer.alloc(8);
  private itemHeadLength = 0;
  /** The item whose value is passing, and where that value ends. */
  private item = -1;
  private valueEnd = 0;
  private photographOffset = -1;
  private photographLength = 0;
  private readonly frameHead: Buffer[] = [];
  private frameHeadBytes = 0;
  private readonly hash: Hash | null;

  constructor(digest: boolean) {
    this.hash = digest ? createHash('sha256') : null;
  }

  push(chunk: Buffer): void {
    if (this.phase === 'header' || this.phase === 'kept') {
      this.kept.push(chunk);
      this.keptBytes += chunk.length;
      if (this.phase === 'header' && this.keptBytes >= this.nextHeaderTry) this.tryHeader();
      return;
    }
    if (this.phase === 'walk') this.walk(chunk, this.position);
  }

  end(): ScannedDicom {
    // A file that ended before the next try: what came is all there is.
    if (this.phase === 'header') this.tryHeader();
    if (this.phase === 'header' || this.phase === 'kept') return { kind: 'kept', file: new ByteChunks(this.kept) };
    if (this.phase !== 'done' || this.photographOffset < 0 || this.attributes === null) return { kind: 'read_back' };
    const frameHead = Buffer.concat(this.frameHead);
    const jpeg = walkJpegHeader(frameHead);
    if (jpeg === null || jpeg === 'incomplete' || jpeg.dropped) return { kind: 'read_back' };
    return {
      kind: 'in_place',
      attributes: this.attributes,
      offset: this.photographOffset,
      length: this.photographLength,
      frameHead,
      sha256: this.hash ? this.hash.digest('hex') : null,
    };
  }

  /** Parses what has come; once the attributes are read, decides how the rest is followed. */
  private tryHeader(): void {
    const file = new ByteChunks(this.kept);
    let data: dicomParser.DataSet;
    try {
      data = parseUntilPixelData(file.slice(0, this.keptBytes));
    } catch {
      this.nextHeaderTry = this.keptBytes * 4; // cut inside an element: more must come (or the file is broken, which its end will say)
      return;
    }
    const pixels = data.elements[PIXEL_DATA];
    if (!pixels) {
      this.nextHeaderTry = this.keptBytes * 4;
      return;
    }
    const frames = Number(data.intString('x00280008') ?? 1) || 1;
    if (data.string('x00020010')?.trim() !== JPEG_BASELINE || frames !== 1 || !pixels.hadUndefinedLength) {
      this.phase = 'kept';
      return;
    }
    // Kept for the check at the end: it holds the parsed prefix (the first chunk or a join of the first
    // few), not the upload, whose chunks are let go as they pass.
    this.attributes = data;
    this.phase = 'walk';
    this.position = pixels.dataOffset;
    const rest = file.views(pixels.dataOffset, this.keptBytes);
    this.kept = [];
    let at = pixels.dataOffset;
    for (const piece of rest) {
      if (this.phase !== 'walk') break;
      this.walk(piece, at);
      at += piece.length;
    }
  }

  /** Follows the items in `chunk`, which starts at `start` in the file. */
  private walk(chunk: Buffer, start: number): void {
    let at = this.position - start;
    while (at < chunk.length && this.phase === 'walk') {
      if (this.item >= 0 && this.position < this.valueEnd) {
        const take = Math.min(chunk.length - at, this.valueEnd - this.position);
        if (this.item === 1) this.photographBytes(chunk.subarray(at, at + take));
        at += take;
        this.position += take;
        continue;
      }
      const take = Math.min(chunk.length - at, 8 - this.itemHeadLength);
      chunk.copy(this.itemHead, this.itemHeadLength, at, at + take);
      this.itemHeadLength += take;
      at += take;
      this.position += take;
      if (this.itemHeadLength < 8) continue;
      this.itemHeadLength = 0;
      const tag = this.itemHead.readUInt32LE(0);
      const length = this.itemHead.readUInt32LE(4);
      if (tag === SEQUENCE_DELIMITER_TAG) {
        this.phase = 'done';
      } else if (tag !== ITEM_TAG || length === UNDEFINED_LENGTH || this.item >= 1) {
        // Not well formed, or a second fragment: the photograph is not one run of the file.
        this.phase = 'read_back';
      } else {
        this.item++;
        this.valueEnd = this.position + length;
        if (this.item === 1) {
          this.photographOffset = this.position;
          this.photographLength = length;
        }
      }
    }
  }

  private photographBytes(bytes: Buffer): void {
    this.hash?.update(bytes);
    if (this.frameHeadBytes >= FRAME_HEAD_BYTES) return;
    const part = bytes.subarray(0, FRAME_HEAD_BYTES - this.frameHeadBytes);
    // Copied: a view would hold the whole socket chunk it came in.
    this.frameHead.push(Buffer.from(part));
    this.frameHeadBytes += part.length;
  }
}
