/** Shapes of the reading API's answers: generated from openapi.json (see ../api-types.ts). */
export type { ReadingCase, ReadingView, ReportVersion, ReportedItem, WorklistItem } from '../api-types.js';
