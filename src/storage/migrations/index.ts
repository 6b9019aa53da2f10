import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial.js';
import * as userSessions from './0002-user-sessions.js';
import * as readingClaims from './0003-reading-claims.js';
import * as reports from './0004-reports.js';
import * as callbackOutbox from './0005-callback-outbox.js';
import * as callbackDelivery from './0006-callback-delivery.js';
import * as staffSubmissions from './0007-staff-submissions.js';
import * as imagePreviews from './0008-image-previews.js';
import * as deferredImageDigest from './0009-deferred-image-digest.js';
import * as authThrottles from './0014-auth-throttles.js';
import * as eyesAndImageRequests from './0011-eyes-and-image-requests.js';
import * as caseSearchTerms from './0013-case-search-terms.js';
import * as centerTimeZonesAndGlaucomaOverrides from './0015-center-time-zones-and-glaucoma-overrides.js';
import * as oneTimeClaims from './0017-one-time-claims.js';
import * as auditTrail from './0018-audit-trail.js';
import * as imageChecks from './0019-image-checks.js';
import * as dicomOriginals from './0020-dicom-originals.js';
import * as auditEntryDetail from './0026-audit-entry-detail.js';
import * as rateLimitWindows from './0029-rate-limit-windows.js';
import * as centerAddresses from './0023-center-addresses.js';
import * as dicomNetworkIntake from './0030-dicom-network-intake.js';
import * as caseRevisions from './0031-case-revisions.js';
import * as imageByteRange from './0032-image-byte-range.js';

/** Migrations are compiled in, not read from disk, so a bundled build finds them. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-user-sessions': userSessions,
  '0003-reading-claims': readingClaims,
  '0004-reports': reports,
  '0005-callback-outbox': callbackOutbox,
  '0006-callback-delivery': callbackDelivery,
  '0007-staff-submissions': staffSubmissions,
  '0008-image-previews': imagePreviews,
  '0009-deferred-image-digest': deferredImageDigest,
  '0014-auth-throttles': authThrottles,
  '0011-eyes-and-image-requests': eyesAndImageRequests,
  '0013-case-search-terms': caseSearchTerms,
  '0015-center-time-zones-and-glaucoma-overrides': centerTimeZonesAndGlaucomaOverrides,
  '0017-one-time-claims': oneTimeClaims,
  '0018-audit-trail': auditTrail,
  '0019-image-checks': imageChecks,
  '0020-dicom-originals': dicomOriginals,
  '0026-audit-entry-detail': auditEntryDetail,
  '0029-rate-limit-windows': rateLimitWindows,
  '0023-center-addresses': centerAddresses,
  '0030-dicom-network-intake': dicomNetworkIntake,
  '0031-case-revisions': caseRevisions,
  '0032-image-byte-range': imageByteRange,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
