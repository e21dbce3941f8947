/**
 * The complaints collection: the customer-facing record of a complaint, next to the process
 * instance that handles it. The process writes to it through the complaint.* integrations;
 * the API writes intake, evaluations, commitments and attachments.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { ComplaintStatus, EngineerOfferItem } from '../../activities/integrations/complaintsPort';
import type { CommitmentKind } from '../../processes/commitments';
import { timelineModel } from './timeline';

export interface TimelineEntry {
  /** Idempotency: a job's key or a generated id; an entry is written once per id. */
  id: string;
  who: string;
  /** The person's name when staff did it (taken from their session when it was written). Absent on older entries. */
  name?: string;
  what: string;
  when: Date;
}

export interface Commitment {
  id: string;
  kind: CommitmentKind;
  description: string;
  dueAt: Date;
  ownerDepartment: string;
  status: 'open' | 'fulfilled';
  instanceId: string | null;
  createdAt: Date;
  fulfilledAt: Date | null;
  /** Who promised it (`staff:<user id>`) and their name, from the session. Absent on older commitments. */
  by?: string;
  byName?: string | null;
}

export interface Evaluation {
  id: string;
  stars: number;
  tags: string[];
  comment: string | null;
  engineerId: string | null;
  at: Date;
  /** `pending`: stored, its message not yet known delivered; `delivered` (or absent: written before the field). */
  state?: 'pending' | 'delivered';
}

/**
 * A change to a staff member's counters in the directory that this complaint causes: +1 / -1
 * load when it is assigned / closed, an evaluation's stars. Written on the complaint (with the
 * compare-and-set of every complaint change) before the directory is touched, then claimed,
 * applied and marked, so a retried job or request applies it once (server/complaints/store.ts).
 */
export interface StaffUpdate {
  id: string;
  staffId: string;
  kind: 'load' | 'evaluation';
  /** load: +1 or -1; evaluation: the stars. */
  amount: number;
  /** skipped: the staff member is not in the directory (e.g. a user id that is no staff id). */
  state: 'pending' | 'applying' | 'applied' | 'skipped';
  claimedAt: Date | null;
  /** evaluation: what the customer said besides the stars, for the engineer's profile. Absent on old documents. */
  review?: { tags: string[]; comment: string | null; at: Date } | null;
}

export interface AttachmentMeta {
  id: string;
  filename: string;
  size: number;
  sha256: string;
  contentType: string;
  geo: { lat: number; lon: number } | null;
  takenAt: Date | null;
  uploadedAt: Date;
  /** Who uploaded it (`staff:<user id>` or `customer:<customer id>`) and a staff member's name, from the session. Absent on older ones. */
  by?: string;
  byName?: string | null;
  /** A video's poster frame, captured by the browser at upload (evidence.ts). */
  thumbnail?: { contentType: string; size: number } | null;
}

/** How to reach the customer: personal data, kept here and never in workflow variables or logs. */
export interface CustomerContact {
  email: string | null;
  phone: string | null;
}

/** The engineers offered to the customer (dispatchMode "customer") and what became of the offer. */
export interface EngineerChoice {
  state: 'waiting' | 'chosen' | 'timed_out';
  offered: EngineerOfferItem[];
  offeredAt: Date;
  chosenStaffId: string | null;
  decidedAt: Date | null;
}

/** The engineer's visit: proposed, accepted or declined by the customer, then recorded. */
export interface Appointment {
  state: 'proposed' | 'accepted' | 'declined' | 'visited';
  at: Date;
  place: 'on-site' | 'outlet';
  answer: { accepted: boolean; preferred: Date | null; note: string | null; at: Date } | null;
  visit: { at: Date; place: 'on-site' | 'outlet'; note: string | null } | null;
}

/** A department brought in from a task: it got its own task in the running process. */
export interface BroughtIn {
  department: string;
  reason: string;
  /** `staff:<user id>` */
  by: string;
  at: Date;
}

export interface ComplaintRecord {
  _id: string;
  /** The complaint number (`C-000123`, numbers.ts), taken at intake. Absent on complaints filed before numbers. */
  number?: string | null;
  channel: string;
  customerId: string;
  customerTier: string;
  product: string;
  title: string;
  description: string;
  location: { lat: number; lon: number; address: string | null } | null;
  photos: string[];
  category: string | null;
  severity: 'low' | 'medium' | 'high' | null;
  departments: string[];
  engineer: string | null;
  status: ComplaintStatus;
  instanceId: string | null;
  commitments: Commitment[];
  evaluations: Evaluation[];
  attachments: AttachmentMeta[];
  /**
   * The entries written with a change of the complaint's fields. Entries that change nothing
   * else (task completions, comments, transfers) are appended beside it in `complaint_timeline`
   * (timeline.ts): read the whole timeline with `withWholeTimeline`.
   */
  timeline: TimelineEntry[];
  reopenCount: number;
  /** The staff member whose load counts this complaint (set at dispatch, cleared at close). Absent on old documents. */
  loadHolder?: string | null;
  /** Directory counter changes caused by this complaint. Absent on old documents. */
  staffUpdates?: StaffUpdate[];
  /**
   * Some staff update is not settled yet (pending or applying): what the reconciler's sweep looks
   * for (staffUpdates.ts). Kept by every write of `staffUpdates`. Absent on old documents.
   */
  staffUpdatesOpen?: boolean;
  /** Absent on old documents. */
  contact?: CustomerContact | null;
  /** 'auto' or 'customer' (the customer picks one of the recommended engineers). Absent on old documents. */
  dispatchMode?: 'auto' | 'customer';
  engineerChoice?: EngineerChoice | null;
  /** The dispatch's recommendations with their reasons (dispatch.recommend with complaintId). Absent on old documents. */
  dispatch?: { recommended: EngineerOfferItem[]; recommendedAt: Date; entryId: string } | null;
  /** The engineer's visit (appointments.ts). Absent on old documents. */
  appointment?: Appointment | null;
  /** Departments brought in while the complaint ran (POST /api/complaints/{id}/departments). Absent on old documents. */
  broughtIn?: BroughtIn[];
  /** Compare-and-set revision: every change is `updateOne({ _id, rev }, …, rev + 1)` (no transactions). */
  rev: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Intake idempotency: one document per (customer, Idempotency-Key), inserted before the complaint. */
export interface IntakeKey {
  _id: string;
  complaintId: string;
  /** The number taken for the complaint before the key was written: a retry files the complaint with it. Absent on old keys. */
  number?: string;
  createdAt: Date;
}

const complaintSchema = new Schema<ComplaintRecord>({
  _id: String,
  number: { type: String, default: null, index: true },
  channel: { type: String, required: true },
  customerId: { type: String, required: true, index: true },
  customerTier: { type: String, default: 'standard' },
  product: { type: String, required: true },
  title: { type: String, required: true },
  description: { type: String, required: true },
  location: { type: Schema.Types.Mixed, default: null },
  photos: [String],
  category: { type: String, default: null },
  severity: { type: String, default: null, index: true },
  departments: { type: [String], index: true },
  engineer: { type: String, default: null, index: true },
  status: { type: String, required: true, index: true },
  instanceId: { type: String, default: null, index: true },
  commitments: [{ _id: false, id: String, kind: String, description: String, dueAt: Date, ownerDepartment: String, status: String, instanceId: String, createdAt: Date, fulfilledAt: Date, by: String, byName: String }],
  evaluations: [{ _id: false, id: String, stars: Number, tags: [String], comment: String, engineerId: String, at: Date, state: String }],
  attachments: [{ _id: false, id: String, filename: String, size: Number, sha256: String, contentType: String, geo: Schema.Types.Mixed, takenAt: Date, uploadedAt: Date, by: String, byName: String, thumbnail: { type: Schema.Types.Mixed, default: null } }],
  timeline: [{ _id: false, id: String, who: String, name: String, what: String, when: Date }],
  reopenCount: { type: Number, default: 0 },
  loadHolder: { type: String, default: null },
  staffUpdates: [{ _id: false, id: String, staffId: String, kind: String, amount: Number, state: String, claimedAt: Date, review: { type: Schema.Types.Mixed, default: null } }],
  // Indexed (a containment twin on PostgreSQL): the sweep finds the few open ones among all.
  staffUpdatesOpen: { type: Boolean, index: true },
  contact: { type: Schema.Types.Mixed, default: null },
  dispatchMode: { type: String, default: 'auto' },
  broughtIn: [{ _id: false, department: String, reason: String, by: String, at: Date }],
  dispatch: { type: Schema.Types.Mixed, default: null },
  appointment: { type: Schema.Types.Mixed, default: null },
  engineerChoice: { type: Schema.Types.Mixed, default: null },
  rev: { type: Number, default: 0 },
  createdAt: { type: Date, required: true },
  updatedAt: { type: Date, required: true },
}, { versionKey: false, minimize: false });
complaintSchema.index({ createdAt: -1 });

const intakeKeySchema = new Schema<IntakeKey>({ _id: String, complaintId: String, number: String, createdAt: Date }, { versionKey: false });

export interface TaskComment {
  _id: string;
  taskId: string;
  instanceId: string;
  author: string;
  text: string;
  at: Date;
}
const taskCommentSchema = new Schema<TaskComment>({
  _id: String, taskId: { type: String, index: true }, instanceId: { type: String, index: true }, author: String, text: String, at: Date,
}, { versionKey: false });

export interface FeedbackRecord {
  _id: string;
  touchpoint: string;
  score: number;
  verbatim: string;
  /** The survey's questions and their scores, as given (optional). */
  answers?: Array<{ question: string; score: number }>;
  customerId: string | null;
  alertInstanceId: string | null;
  /** The group the alert work order went to (TOUCHPOINT_OWNERS, else ALERT_DEFAULT_GROUP). */
  ownerGroup?: string | null;
  /** Reopens of the alert work order: staff's reason, kept here rather than in the history. */
  reopens?: Array<{ reason: string; by: string; at: Date }>;
  at: Date;
}
const feedbackSchema = new Schema<FeedbackRecord>({
  _id: String, touchpoint: { type: String, index: true }, score: Number, verbatim: String, answers: { type: [{ _id: false, question: String, score: Number }], default: undefined }, customerId: String, alertInstanceId: String, ownerGroup: String, reopens: { type: [{ _id: false, reason: String, by: String, at: Date }], default: undefined }, at: Date,
}, { versionKey: false });

function model<T>(connection: Connection, name: string, schema: Schema<T>, collection: string): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema, collection);
}

export function complaintModels(connection: Connection) {
  return {
    complaints: model(connection, 'Complaint', complaintSchema, 'complaints'),
    intakeKeys: model(connection, 'ComplaintIntakeKey', intakeKeySchema, 'complaint_intake_keys'),
    taskComments: model(connection, 'TaskComment', taskCommentSchema, 'task_comments'),
    feedback: model(connection, 'Feedback', feedbackSchema, 'feedback'),
    /** Timeline entries that change nothing else on the complaint, appended beside it (timeline.ts). */
    timeline: timelineModel(connection),
  };
}

export type ComplaintModels = ReturnType<typeof complaintModels>;
