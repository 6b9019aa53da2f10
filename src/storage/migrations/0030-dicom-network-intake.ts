import { type Kysely, sql } from 'kysely';
import { identityColumn } from './columns.js';

/**
 * DICOM network intake (issue 12, item 5). A center that takes images over
 * DICOM has an AE title of its own (`centers.dicom_ae_title`, the called AE
 * a camera sends to; unique, null for most centers) and the calling AE titles
 * allowed to send to it (`dicom_calling_aes`): an association from any other
 * is refused.
 *
 * What arrives waits in the inbox until its study has been quiet for the
 * stable time: `dicom_studies` is a lease queue (storage/lease.ts) whose
 * `next_attempt_at` is the last arrival plus the stable time, and
 * `dicom_instances` holds each received file (its blob, unique SOP Instance
 * UID). A study that cannot become a case keeps its rows, `state` 'failed'
 * and `last_error` saying why. One that became a case keeps its study row,
 * `state` 'done' and `case_id` naming the case, and no instance rows: a file
 * of it that comes later makes it pending again and joins that case.
 * `patient_id` is the files' PatientID, which the case's history number will
 * be: an erasure of that history number in the center erases the study too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('centers').addColumn('dicom_ae_title', 'text').execute();
  // NULLs are distinct in unique indexes on both databases: centers without an AE title never collide.
  await db.schema.createIndex('centers_dicom_ae_title').on('centers').column('dicom_ae_title').unique().execute();

  await db.schema
    .createTable('dicom_calling_aes')
    .addColumn('center_id', 'integer', (c) => c.notNull().references('centers.id'))
    .addColumn('ae_title', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dicom_calling_aes_pk', ['center_id', 'ae_title'])
    .execute();

  await db.schema
    .createTable('dicom_studies')
    .addColumn('id', 'integer', identityColumn(db))
    .addColumn('center_id', 'integer', (c) => c.notNull().references('centers.id'))
    .addColumn('study_instance_uid', 'text', (c) => c.notNull())
    .addColumn('patient_id', 'text')
    .addColumn('case_id', 'integer', (c) => c.references('cases.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('last_error', 'text')
    .addColumn('first_received_at', 'text', (c) => c.notNull())
    .addColumn('last_received_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('dicom_studies_center_study', ['center_id', 'study_instance_uid'])
    .addCheckConstraint('dicom_studies_state', sql`state in ('pending', 'failed', 'done')`)
    .execute();
  await db.schema.createIndex('dicom_studies_patient').on('dicom_studies').columns(['center_id', 'patient_id']).execute();
  await db.schema.createIndex('dicom_studies_due').on('dicom_studies').columns(['state', 'next_attempt_at']).execute();

  await db.schema
    .createTable('dicom_instances')
    .addColumn('id', 'integer', identityColumn(db))
    .addColumn('study_id', 'integer', (c) => c.notNull().references('dicom_studies.id'))
    .addColumn('sop_instance_uid', 'text', (c) => c.notNull().unique())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('calling_ae', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dicom_instances_study').on('dicom_instances').column('study_id').execute();
  // The orphan sweep asks which inbox files a row names.
  await db.schema.createIndex('dicom_instances_blob_key').on('dicom_instances').column('blob_key').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dicom_instances').ifExists().execute();
  await db.schema.dropTable('dicom_studies').ifExists().execute();
  await db.schema.dropTable('dicom_calling_aes').ifExists().execute();
  await db.schema.dropIndex('centers_dicom_ae_title').ifExists().execute();
  await db.schema.alterTable('centers').dropColumn('dicom_ae_title').execute();
}
