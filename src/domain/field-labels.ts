/**
 * What a person calls each request field. Field names (`od_iop`, `od.quality`,
 * `images[1]`) are for programs; a message shown to a person starts with the
 * label instead, so "od.quality is required" reads "Right eye (OD) — image
 * quality is required".
 */
const EYE = { od: 'Right eye (OD)', os: 'Left eye (OS)' } as const;

/** Clinical measurements of one eye, as the intake form names them. */
const EYE_MEASUREMENTS: Readonly<Record<string, string>> = {
  iop: 'intraocular pressure',
  va: 'visual acuity',
  axis: 'cylinder axis',
  cylinder: 'cylinder',
  sphere: 'sphere',
  add: 'near addition',
  prism: 'prism',
  prism_base: 'prism base',
};

/** Grading of one eye (sign and amend). */
const EYE_GRADING: Readonly<Record<string, string>> = {
  quality: 'image quality',
  dr: 'diabetic retinopathy',
  dme: 'diabetic macular oedema',
  amd: 'age-related macular degeneration',
  vertical_cdr: 'vertical cup-to-disc ratio',
  glaucoma_suspect: 'glaucoma suspect',
  hypertensive: 'hypertensive retinopathy',
  other_findings: 'other findings',
  other_text: 'description of the other finding',
};

const LABELS: Readonly<Record<string, string>> = {
  history_number: 'History number',
  first_name: 'First name',
  last_name: 'Last name',
  gender: 'Sex',
  age: 'Age',
  diabetes: 'Diabetes',
  visit_date: 'Visit date',
  visit_reason: 'Reason for the visit',
  ophthalmic_antecedents: 'Ophthalmic history',
  other_relevant_info: 'Other relevant information',
  retinologist_notes: 'Notes for the retina specialist',
  description: 'Description',
  callback_url: 'Callback URL',
  images: 'Photographs',
  image_eyes: 'Eyes of the photographs',
  center_id: 'Center',
  od: EYE.od,
  os: EYE.os,
  recommendation: 'Recommendation',
  rescreen_months: 'Screen again in (months)',
  derivation: 'Referral',
  override_reason: 'Reason for a referral other than the suggested one',
  glaucoma_override_reason: 'Reason glaucoma is not suspected',
  confirm_unchanged: 'Confirmation that the recommendation still holds',
  timezone: 'Time zone',
  amend_reason: 'Reason for the amendment',
  reason: 'Reason',
  text: 'Explanation',
  email: 'E-mail',
  password: 'Password',
  cookie: 'Cookie session',
  client_id: 'Client id',
  client_secret: 'Client secret',
  grant_type: 'Grant type',
  access_token: 'Access token',
  id: 'Case id',
  imageId: 'Image id',
  deliveryId: 'Callback delivery id',
  cursor: 'Page cursor',
  limit: 'Page size',
  status: 'Status',
  updated_since: 'Changed since',
  q: 'Search',
  after: 'Worklist position',
  version: 'Report version',
  variant: 'Image variant',
  format: 'Format',
  'Idempotency-Key': 'Idempotency-Key header',
  body: 'The request body',
  name: 'Name',
  language: 'Language',
  role: 'Role',
  licence: 'Licence number',
  centers: 'Centers',
  organisation: 'Organisation',
  licence_number: 'Licence number',
  center_ids: 'Centers',
  address: 'Address',
  disabled: 'Disabled',
  'admin.email': "First admin's e-mail",
  'admin.name': "First admin's name",
  'admin.password': "First admin's password",
  organisationId: 'Organisation id',
  centerId: 'Center id',
  apiClientId: 'API client id',
  userId: 'Person id',
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The label of a request field, for messages shown to people. */
export function labelOf(field: string): string {
  const known = LABELS[field];
  if (known !== undefined) return known;
  const image = /^images\[(\d+)\]$/.exec(field);
  if (image) return `Photograph ${Number(image[1]) + 1}`;
  const measurement = /^(od|os)_(.+)$/.exec(field);
  if (measurement && EYE_MEASUREMENTS[measurement[2]!] !== undefined) {
    return `${EYE[measurement[1] as 'od' | 'os']} — ${EYE_MEASUREMENTS[measurement[2]!]}`;
  }
  const graded = /^(od|os)\.([a-z_]+)(?:\[(\d+)\])?$/.exec(field);
  if (graded && EYE_GRADING[graded[2]!] !== undefined) {
    const item = graded[3] === undefined ? '' : `, item ${Number(graded[3]) + 1}`;
    return `${EYE[graded[1] as 'od' | 'os']} — ${EYE_GRADING[graded[2]!]}${item}`;
  }
  // Unknown names (a client's typo) are shown as sent: that is what its author must fix.
  return capitalise(field.replace(/_/g, ' '));
}

/** Messages that continue the label as a sentence ("Age" + "must be from 0 to 120"). */
const PREDICATE = /^(is|are|must|has|have|was|were|does|do|can|cannot|may|should)\b/;

/** `message` as a sentence that starts with the field's label: "Age must be from 0 to 120", "Recommendation: say …". */
export function labelled(field: string, message: string): string {
  const label = labelOf(field);
  if (message.startsWith(label)) return message;
  return PREDICATE.test(message) ? `${label} ${message}` : `${label}: ${message}`;
}
