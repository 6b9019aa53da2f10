import type { Kysely } from 'kysely';

/**
 * An image taken from a DICOM file keeps the file as it came: its blob
 * (`dicom_blob_key`, beside the extracted photograph that `blob_key` names),
 * its size, and its kind (`dicom_sop_class`: `ophthalmic_photography` or
 * `secondary_capture`). Null for images uploaded as JPEG, PNG or TIFF.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('case_images').addColumn('dicom_blob_key', 'text').execute();
  await db.schema.alterTable('case_images').addColumn('dicom_size', 'bigint').execute();
  await db.schema.alterTable('case_images').addColumn('dicom_sop_class', 'text').execute();
  // The orphan sweep asks which stored files a row names, by either key.
  await db.schema.createIndex('case_images_dicom_blob_key').on('case_images').column('dicom_blob_key').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('case_images_dicom_blob_key').execute();
  for (const column of ['dicom_sop_class', 'dicom_size', 'dicom_blob_key']) await db.schema.alterTable('case_images').dropColumn(column).execute();
}
