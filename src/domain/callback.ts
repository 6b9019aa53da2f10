import type { Derivation } from './case.js';

/** What clinics are told (contract §7): the three OPTretina fields plus extensions, never patient data. */
export const CALLBACK_EVENTS = ['case.reported', 'report.amended', 'case.rejected', 'case.images_requested', 'case.image_unreadable'] as const;
export type CallbackEvent = (typeof CALLBACK_EVENTS)[number];

/** A delivery is retried while `pending`; `delivered` and `failed` (gave up) are final. */
export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface CallbackPayloadInput {
  readonly event: CallbackEvent;
  readonly caseId: number;
  readonly derivation: Derivation | null;
  readonly reportVersion: number | null;
  readonly occurredAt: string;
  /** A rejection's reason and the reader's words, so the clinic can act on it (retake photos, add data). */
  readonly rejection?: { readonly reason: string; readonly text: string | null };
  /** A reader's request for new photographs: why, and the reader's words. */
  readonly request?: { readonly reason: string; readonly text: string | null };
  /** An image the worker could not decode: which (its id, never its file name), and the decoder's words. */
  readonly unreadableImage?: { readonly id: number; readonly reason: string };
}

/** OPTretina's `status` for each event; `images_requested` and `image_unreadable` are ours (the case stays open for new photographs). */
const STATUS: Readonly<Record<CallbackEvent, string>> = {
  'case.reported': 'reported',
  'report.amended': 'reported',
  'case.rejected': 'reject',
  'case.images_requested': 'images_requested',
  'case.image_unreadable': 'image_unreadable',
};

/**
 * `application/x-www-form-urlencoded`: `status` (`reported` or `reject`),
 * `caso`, `derivation` exactly as OPTretina's PHP example reads them, then
 * our extension fields.
 */
export function callbackPayload(input: CallbackPayloadInput): string {
  const fields = new URLSearchParams();
  fields.set('status', STATUS[input.event]);
  fields.set('caso', String(input.caseId));
  fields.set('derivation', input.derivation ?? '');
  fields.set('event', input.event);
  if (input.reportVersion !== null) fields.set('report_version', String(input.reportVersion));
  fields.set('occurred_at', input.occurredAt);
  if (input.rejection) {
    fields.set('reject_reason', input.rejection.reason);
    if (input.rejection.text !== null) fields.set('reject_text', input.rejection.text);
  }
  if (input.request) {
    fields.set('request_reason', input.request.reason);
    if (input.request.text !== null) fields.set('request_text', input.request.text);
  }
  if (input.unreadableImage) {
    fields.set('image_id', String(input.unreadableImage.id));
    fields.set('image_reason', input.unreadableImage.reason);
  }
  return fields.toString();
}
