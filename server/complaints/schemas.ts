/** Zod schemas of the complaints, feedback and task-collaboration API (validation and OpenAPI). */
import { z } from 'zod';
import { COMPLAINT_STATUSES } from '../../activities/integrations/complaintsPort';
import { DEPARTMENTS, OWNER_GROUPS } from '../../processes/departments';
import { COMMITMENT_KINDS } from '../../processes/commitments';
import { createdRangeInOrder, WorkOrderSearch } from '../tasks/workOrderSearch';

const text = (max: number) => z.string().trim().min(1).max(max);
export const ComplaintId = z.string().regex(/^cmp-[0-9a-f-]{36}$/, 'a complaint id like cmp-<uuid>').meta({ example: 'cmp-0b8f3c1e-2a4d-4c6b-9d7e-1f2a3b4c5d6e' });
export const ComplaintParams = z.object({ id: ComplaintId });
const Department = z.enum(DEPARTMENTS);
const Severity = z.enum(['low', 'medium', 'high']);

export const IntakeBody = z.object({
  channel: z.enum(['web', 'app', 'phone', 'email', 'store', 'social']),
  customer: z.object({
    id: text(100).meta({ description: 'Customer reference (an id, never a name)' }),
    tier: z.enum(['standard', 'gold', 'platinum']).optional().meta({ description: "Ignored: the tier is the customer's in the directory ('standard' when not there)", deprecated: true }),
  }).strict(),
  product: text(200),
  title: text(200),
  description: text(5000),
  location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), address: text(500).optional() }).strict().optional(),
  photos: z.array(text(200)).max(20).optional().meta({ description: 'References of photos uploaded elsewhere; or use the attachments endpoint' }),
  contact: z.object({
    email: z.email({ error: 'not an e-mail address' }).max(254).optional(),
    phone: z.string().trim().regex(/^\+?[0-9 ()./-]{5,30}$/, 'a phone number (digits, spaces, + ( ) . / -)').optional(),
  }).strict().optional().meta({ description: 'How to reach the customer: kept on the complaint only, never in workflow variables or logs. With an e-mail the resolution notice is sent there' }),
  dispatchMode: z.enum(['auto', 'customer']).optional().meta({ description: "'customer': the customer picks one of the recommended engineers; default DISPATCH_MODE" }),
}).strict().meta({ id: 'ComplaintIntake' });

export const IntakeHeaders = z.object({ 'idempotency-key': z.string().min(8).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').optional() });

export const ComplaintListQuery = z.object({
  status: z.enum(COMPLAINT_STATUSES).optional(),
  severity: Severity.optional(),
  department: Department.optional(),
  engineer: text(200).optional(),
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'Case-insensitive text in the title (literal, not a pattern)' }),
  createdFrom: WorkOrderSearch.shape.createdFrom,
  createdTo: WorkOrderSearch.shape.createdTo,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
}).superRefine(createdRangeInOrder);

export const EvaluationBody = z.object({
  stars: z.number().int().min(1).max(5),
  tags: z.array(text(50)).max(20).default([]),
  comment: text(2000).optional(),
  engineerId: text(200).optional().meta({ description: 'Rate the engineer too: only the one who served this complaint (422 `engineer_not_served` otherwise)' }),
}).strict().meta({ id: 'Evaluation' });

export const CommitmentBody = z.object({
  kind: z.enum(COMMITMENT_KINDS),
  description: text(1000),
  dueAt: z.iso.datetime({ offset: true }),
  ownerDepartment: z.enum(OWNER_GROUPS),
}).strict().meta({ id: 'Commitment' });

export const EngineerChoiceBody = z.object({ staffId: text(200) }).strict().meta({ id: 'EngineerChoice' });
export const CustomerLinkBody = z.object({
  ttlHours: z.number().min(0.1).max(24 * 365).optional().meta({ description: 'Lifetime; default CUSTOMER_LINK_TTL_HOURS' }),
}).strict();
export const AttachmentParams = z.object({ id: ComplaintId, attachmentId: z.string().regex(/^att-[0-9a-f-]{36}$/, 'an attachment id like att-<uuid>') });

export const ReopenBody = z.object({ reason: text(1000) }).strict();

/** The survey's questions with their scores; those at or below the threshold are shown on the work order. */
const FeedbackAnswers = z.array(z.object({ question: text(200), score: z.number().int().min(0).max(10) }).strict()).max(30);

export const FeedbackBody = z.object({
  touchpoint: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'letters, digits and _ . : -'),
  score: z.number().int().min(0).max(10),
  verbatim: text(2000),
  customerId: text(100).optional(),
  answers: FeedbackAnswers.optional(),
}).strict().meta({ id: 'Feedback' });
export const FeedbackParams = z.object({ id: z.string().regex(/^fb-[0-9a-f-]{36}$/, 'a feedback id like fb-<uuid>') });

/** Bring another department in: one of DEPARTMENTS, with the reason (on the complaint's timeline). */
export const DepartmentRequestBody = z.object({ department: Department, reason: text(500) }).strict();
const Place = z.enum(['on-site', 'outlet']);
/** The engineer proposes a visit: when (ISO with offset) and where. */
export const AppointmentBody = z.object({ at: z.iso.datetime({ offset: true }), place: Place }).strict();
/** The customer accepts, or asks for another time (optionally naming one). */
export const AppointmentAnswerBody = z.object({ accept: z.boolean(), preferred: z.iso.datetime({ offset: true }).optional(), note: text(500).optional() }).strict();
/** The engineer records the visit. */
export const VisitBody = z.object({ place: Place, note: text(1000).optional() }).strict();

export const AttachmentQuery = z.object({
  filename: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,199}$/, 'a plain file name'),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lon: z.coerce.number().min(-180).max(180).optional(),
  takenAt: z.iso.datetime({ offset: true }).optional(),
}).refine((q) => (q.lat === undefined) === (q.lon === undefined), { message: 'give both lat and lon, or neither', path: ['lat'] });

export const ComplaintView = z.object({
  id: ComplaintId,
  number: z.string().nullable().meta({ description: "The complaint's number (`C-000123`): unique, assigned at intake, shown to staff and the customer; null on complaints filed before numbers (shown by the first 8 hex digits of the id)", example: 'C-000123' }),
  status: z.enum(COMPLAINT_STATUSES),
  channel: z.string(),
  customerId: z.string(),
  product: z.string(),
  title: z.string(),
  category: z.string().nullable(),
  severity: Severity.nullable(),
  departments: z.array(z.string()),
  engineer: z.string().nullable(),
  instanceId: z.string().nullable(),
  reopenCount: z.number(),
  createdAt: z.string(),
}).meta({ id: 'Complaint' });
