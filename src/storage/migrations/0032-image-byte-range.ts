import type { Kysely } from 'kysely';

/**
 * Where in its blob an image's bytes start. Null for an image stored as a
 * blob of its own (a JPEG, PNG or TIFF upload). A JPEG photograph that lies
 * in a DICOM file as one fragment is not copied out: its row names the
 * DICOM file's blob and the `size` bytes from `blob_offset`, so an image sent
 * as DICOM is written once, as Orthanc writes it (bench/README.md, peer).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('case_images').addColumn('blob_offset', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('case_images').dropColumn('blob_offset').execute();
}
